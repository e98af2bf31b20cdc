-- target: cloudtrail
-- th-ssm-session-started: SSM Session Manager session started on an instance
(COALESCE(lower(e.eventsource) = 'ssm.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'startsession', FALSE))

-- target: parquet
-- th-ssm-session-started: SSM Session Manager session started on an instance
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ssm.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ssm.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'startsession', FALSE) ELSE COALESCE(lower(e.event_name) = 'startsession', FALSE) END))
