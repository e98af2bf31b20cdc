-- target: cloudtrail
-- th-s3-lifecycle-rule-put: Lifecycle configuration put on an S3 bucket
(COALESCE(lower(e.eventsource) = 's3.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('putbucketlifecycle', 'putbucketlifecycleconfiguration'), FALSE))

-- target: parquet
-- th-s3-lifecycle-rule-put: Lifecycle configuration put on an S3 bucket
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 's3.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 's3.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('putbucketlifecycle', 'putbucketlifecycleconfiguration'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('putbucketlifecycle', 'putbucketlifecycleconfiguration'), FALSE) END))
