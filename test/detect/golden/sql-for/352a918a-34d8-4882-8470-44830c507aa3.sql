-- target: cloudtrail
-- 352a918a-34d8-4882-8470-44830c507aa3: Malicious Usage Of IMDS Credentials Outside Of AWS Infrastructure
(COALESCE(regexp_like(e.useridentity.arn, '.+:assumed-role/aws:.+'), FALSE) AND (NOT (COALESCE(lower(e.eventsource) = 'ssm.amazonaws.com', FALSE) OR COALESCE(lower(e.eventname) = 'registermanagedinstance', FALSE) OR COALESCE(lower(e.sourceipaddress) = 'aws internal', FALSE))))

-- target: parquet
-- 352a918a-34d8-4882-8470-44830c507aa3: Malicious Usage Of IMDS Credentials Outside Of AWS Infrastructure
((CASE WHEN e.odd_fields THEN COALESCE(regexp_like(json_extract_scalar(e.record, '$.userIdentity.arn'), '.+:assumed-role/aws:.+'), FALSE) ELSE COALESCE(regexp_like(e.arn, '.+:assumed-role/aws:.+'), FALSE) END) AND (NOT ((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ssm.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ssm.amazonaws.com', FALSE) END) OR (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'registermanagedinstance', FALSE) ELSE COALESCE(lower(e.event_name) = 'registermanagedinstance', FALSE) END) OR (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.sourceIPAddress')) = 'aws internal', FALSE) ELSE COALESCE(lower(e.source_ip) = 'aws internal', FALSE) END))))
