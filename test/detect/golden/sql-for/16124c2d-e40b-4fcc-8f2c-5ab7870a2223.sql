-- target: cloudtrail
-- 16124c2d-e40b-4fcc-8f2c-5ab7870a2223: AWS EC2 Disable EBS Encryption
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'disableebsencryptionbydefault', FALSE))

-- target: parquet
-- 16124c2d-e40b-4fcc-8f2c-5ab7870a2223: AWS EC2 Disable EBS Encryption
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'disableebsencryptionbydefault', FALSE) ELSE COALESCE(lower(e.event_name) = 'disableebsencryptionbydefault', FALSE) END))
