-- target: cloudtrail
-- db014773-d9d9-4792-91e5-133337c0ffee: AWS IAM S3Browser User or AccessKey Creation
(COALESCE(lower(e.eventsource) = 'iam.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('createuser', 'createaccesskey'), FALSE) AND COALESCE(lower(e.useragent) LIKE '%s3 browser%' ESCAPE '\', FALSE))

-- target: parquet
-- db014773-d9d9-4792-91e5-133337c0ffee: AWS IAM S3Browser User or AccessKey Creation
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'iam.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'iam.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('createuser', 'createaccesskey'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('createuser', 'createaccesskey'), FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userAgent')) LIKE '%s3 browser%' ESCAPE '\', FALSE) ELSE COALESCE(lower(e.user_agent) LIKE '%s3 browser%' ESCAPE '\', FALSE) END))
