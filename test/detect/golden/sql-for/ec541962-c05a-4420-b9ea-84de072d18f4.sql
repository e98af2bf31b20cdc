-- target: cloudtrail
-- ec541962-c05a-4420-b9ea-84de072d18f4: New AWS Lambda Function URL Configuration Created
(COALESCE(lower(e.eventsource) = 'lambda.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'createfunctionurlconfig', FALSE))

-- target: parquet
-- ec541962-c05a-4420-b9ea-84de072d18f4: New AWS Lambda Function URL Configuration Created
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'lambda.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'lambda.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'createfunctionurlconfig', FALSE) ELSE COALESCE(lower(e.event_name) = 'createfunctionurlconfig', FALSE) END))
