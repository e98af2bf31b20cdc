-- target: cloudtrail
-- db014773-7375-4f4e-b83b-133337c0ffee: not translated
-- requestParameters|contains|all = all of ["\"arn:aws:s3:::<YOUR-BUCKET-NAME>/*\"", "\"s3:GetObject\"", "\"Allow\""]: field "requestParameters" is an object in the record (the AWS table holds its JSON text)

-- target: parquet
-- db014773-7375-4f4e-b83b-133337c0ffee: AWS IAM S3Browser Templated S3 Bucket Policy Creation
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'iam.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'iam.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'putuserpolicy', FALSE) ELSE COALESCE(lower(e.event_name) = 'putuserpolicy', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userAgent')) LIKE '%s3 browser%' ESCAPE '\', FALSE) ELSE COALESCE(lower(e.user_agent) LIKE '%s3 browser%' ESCAPE '\', FALSE) END) AND COALESCE((lower(json_extract_scalar(e.record, '$.requestParameters')) LIKE '%"arn:aws:s3:::<your-bucket-name>/%"%' ESCAPE '\' AND lower(json_extract_scalar(e.record, '$.requestParameters')) LIKE '%"s3:getobject"%' ESCAPE '\' AND lower(json_extract_scalar(e.record, '$.requestParameters')) LIKE '%"allow"%' ESCAPE '\'), FALSE))
