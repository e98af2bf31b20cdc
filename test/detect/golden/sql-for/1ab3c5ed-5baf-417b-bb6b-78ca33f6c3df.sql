-- target: cloudtrail
-- 1ab3c5ed-5baf-417b-bb6b-78ca33f6c3df: AWS EC2 Startup Shell Script Change
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(json_extract_scalar(e.requestparameters, '$.attribute')) = 'userdata', FALSE) AND COALESCE(lower(e.eventname) = 'modifyinstanceattribute', FALSE))

-- target: parquet
-- 1ab3c5ed-5baf-417b-bb6b-78ca33f6c3df: AWS EC2 Startup Shell Script Change
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.requestParameters.attribute')) = 'userdata', FALSE) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'modifyinstanceattribute', FALSE) ELSE COALESCE(lower(e.event_name) = 'modifyinstanceattribute', FALSE) END))
