-- target: cloudtrail
-- th-root-activity: Root user activity
((COALESCE(lower(e.useridentity.type) = 'root', FALSE) AND (e.useridentity.invokedby IS NULL)) AND (NOT (COALESCE(lower(e.eventtype) = 'awsserviceevent', FALSE) OR COALESCE(lower(e.eventname) = 'consolelogin', FALSE))))

-- target: parquet
-- th-root-activity: Root user activity
(((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userIdentity.type')) = 'root', FALSE) ELSE COALESCE(lower(e.identity_type) = 'root', FALSE) END) AND (json_extract_scalar(e.record, '$.userIdentity.invokedBy') IS NULL)) AND (NOT ((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventType')) = 'awsserviceevent', FALSE) ELSE COALESCE(lower(e.event_type) = 'awsserviceevent', FALSE) END) OR (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'consolelogin', FALSE) ELSE COALESCE(lower(e.event_name) = 'consolelogin', FALSE) END))))
