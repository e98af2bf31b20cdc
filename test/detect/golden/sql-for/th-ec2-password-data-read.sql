-- target: cloudtrail
-- th-ec2-password-data-read: EC2 Windows administrator password data retrieved
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'getpassworddata', FALSE))

-- target: parquet
-- th-ec2-password-data-read: EC2 Windows administrator password data retrieved
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'getpassworddata', FALSE) ELSE COALESCE(lower(e.event_name) = 'getpassworddata', FALSE) END))
