-- target: cloudtrail
-- th-ec2-user-data-read: EC2 instance user data read
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'describeinstanceattribute', FALSE) AND COALESCE(lower(json_extract_scalar(e.requestparameters, '$.attribute')) = 'userdata', FALSE))

-- target: parquet
-- th-ec2-user-data-read: EC2 instance user data read
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'describeinstanceattribute', FALSE) ELSE COALESCE(lower(e.event_name) = 'describeinstanceattribute', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.requestParameters.attribute')) = 'userdata', FALSE))
