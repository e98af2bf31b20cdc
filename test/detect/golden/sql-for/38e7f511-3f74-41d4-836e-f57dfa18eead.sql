-- target: cloudtrail
-- 38e7f511-3f74-41d4-836e-f57dfa18eead: Potential Malicious Usage of CloudTrail System Manager
((COALESCE(lower(e.eventname) = 'sendcommand', FALSE) AND COALESCE(lower(e.eventsource) = 'ssm.amazonaws.com', FALSE)) AND (COALESCE(lower(e.errorcode) = 'success', FALSE) OR (e.errorcode IS NULL)))

-- target: parquet
-- 38e7f511-3f74-41d4-836e-f57dfa18eead: Potential Malicious Usage of CloudTrail System Manager
(((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'sendcommand', FALSE) ELSE COALESCE(lower(e.event_name) = 'sendcommand', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ssm.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ssm.amazonaws.com', FALSE) END)) AND ((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.errorCode')) = 'success', FALSE) ELSE COALESCE(lower(e.error_code) = 'success', FALSE) END) OR (json_extract_scalar(e.record, '$.errorCode') IS NULL)))
