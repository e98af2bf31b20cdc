-- target: cloudtrail
-- th-ec2-serial-console-access: EC2 serial console access enabled or SSH key pushed to a serial console
((COALESCE(lower(e.eventsource) = 'ec2-instance-connect.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'sendserialconsolesshpublickey', FALSE)) OR (COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'enableserialconsoleaccess', FALSE)))

-- target: parquet
-- th-ec2-serial-console-access: EC2 serial console access enabled or SSH key pushed to a serial console
(((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2-instance-connect.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2-instance-connect.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'sendserialconsolesshpublickey', FALSE) ELSE COALESCE(lower(e.event_name) = 'sendserialconsolesshpublickey', FALSE) END)) OR ((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'enableserialconsoleaccess', FALSE) ELSE COALESCE(lower(e.event_name) = 'enableserialconsoleaccess', FALSE) END)))
