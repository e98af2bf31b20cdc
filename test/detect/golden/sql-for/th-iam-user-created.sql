-- target: cloudtrail
-- th-iam-user-created: IAM user created
(COALESCE(lower(e.eventsource) = 'iam.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'createuser', FALSE))

-- target: parquet
-- th-iam-user-created: IAM user created
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'iam.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'iam.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'createuser', FALSE) ELSE COALESCE(lower(e.event_name) = 'createuser', FALSE) END))
