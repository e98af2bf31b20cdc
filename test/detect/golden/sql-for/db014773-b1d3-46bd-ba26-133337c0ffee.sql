-- target: cloudtrail
-- db014773-b1d3-46bd-ba26-133337c0ffee: AWS IAM S3Browser LoginProfile Creation
(COALESCE(lower(e.eventsource) = 'iam.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('getloginprofile', 'createloginprofile'), FALSE) AND COALESCE(lower(e.useragent) LIKE '%s3 browser%' ESCAPE '\', FALSE))

-- target: parquet
-- db014773-b1d3-46bd-ba26-133337c0ffee: AWS IAM S3Browser LoginProfile Creation
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'iam.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'iam.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('getloginprofile', 'createloginprofile'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('getloginprofile', 'createloginprofile'), FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userAgent')) LIKE '%s3 browser%' ESCAPE '\', FALSE) ELSE COALESCE(lower(e.user_agent) LIKE '%s3 browser%' ESCAPE '\', FALSE) END))
