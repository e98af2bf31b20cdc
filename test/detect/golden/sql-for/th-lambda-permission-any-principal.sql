-- target: cloudtrail
-- th-lambda-permission-any-principal: Lambda function policy allows any principal
(COALESCE(lower(e.eventsource) = 'lambda.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) LIKE 'addpermission%' ESCAPE '\', FALSE) AND COALESCE(lower(json_extract_scalar(e.requestparameters, '$.principal')) = '*', FALSE))

-- target: parquet
-- th-lambda-permission-any-principal: Lambda function policy allows any principal
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'lambda.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'lambda.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) LIKE 'addpermission%' ESCAPE '\', FALSE) ELSE COALESCE(lower(e.event_name) LIKE 'addpermission%' ESCAPE '\', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.requestParameters.principal')) = '*', FALSE))
