-- target: cloudtrail
-- th-iam-login-profile-changed: Console password created or reset for an IAM user
(COALESCE(lower(e.eventsource) = 'iam.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('createloginprofile', 'updateloginprofile'), FALSE))

-- target: parquet
-- th-iam-login-profile-changed: Console password created or reset for an IAM user
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'iam.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'iam.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('createloginprofile', 'updateloginprofile'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('createloginprofile', 'updateloginprofile'), FALSE) END))
