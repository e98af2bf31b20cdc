-- target: cloudtrail
-- th-ec2-run-instances-many-regions-base: EC2 RunInstances (input of th-ec2-run-instances-many-regions)
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'runinstances', FALSE))

-- target: parquet
-- th-ec2-run-instances-many-regions-base: EC2 RunInstances (input of th-ec2-run-instances-many-regions)
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'runinstances', FALSE) ELSE COALESCE(lower(e.event_name) = 'runinstances', FALSE) END))
