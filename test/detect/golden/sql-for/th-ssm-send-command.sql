-- target: cloudtrail
-- th-ssm-send-command: SSM Run Command sent to instances by a person or workload
((COALESCE(lower(e.eventsource) = 'ssm.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'sendcommand', FALSE)) AND (NOT (e.useridentity.invokedby IS NOT NULL)))

-- target: parquet
-- th-ssm-send-command: SSM Run Command sent to instances by a person or workload
(((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ssm.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ssm.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'sendcommand', FALSE) ELSE COALESCE(lower(e.event_name) = 'sendcommand', FALSE) END)) AND (NOT (json_extract(e.record, '$.userIdentity.invokedBy') IS NOT NULL)))
