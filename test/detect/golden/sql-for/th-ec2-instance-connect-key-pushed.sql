-- target: cloudtrail
-- th-ec2-instance-connect-key-pushed: SSH key pushed to an instance with EC2 Instance Connect
(COALESCE(lower(e.eventsource) = 'ec2-instance-connect.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'sendsshpublickey', FALSE))

-- target: parquet
-- th-ec2-instance-connect-key-pushed: SSH key pushed to an instance with EC2 Instance Connect
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2-instance-connect.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2-instance-connect.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'sendsshpublickey', FALSE) ELSE COALESCE(lower(e.event_name) = 'sendsshpublickey', FALSE) END))
