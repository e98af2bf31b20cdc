-- target: cloudtrail
-- th-sigmahq-aws-ec2-download-userdata-base: AWS EC2 Download Userdata (selection of the SigmaHQ rule)
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(json_extract_scalar(e.requestparameters, '$.attribute')) = 'userdata', FALSE) AND COALESCE(lower(e.eventname) = 'describeinstanceattribute', FALSE))

-- target: parquet
-- th-sigmahq-aws-ec2-download-userdata-base: AWS EC2 Download Userdata (selection of the SigmaHQ rule)
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.requestParameters.attribute')) = 'userdata', FALSE) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'describeinstanceattribute', FALSE) ELSE COALESCE(lower(e.event_name) = 'describeinstanceattribute', FALSE) END))
