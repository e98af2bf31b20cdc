-- target: cloudtrail
-- 8ad1600d-e9dc-4251-b0ee-a65268f29add: AWS Root Credentials
(COALESCE(lower(e.useridentity.type) = 'root', FALSE) AND (NOT COALESCE(lower(e.eventtype) = 'awsserviceevent', FALSE)))

-- target: parquet
-- 8ad1600d-e9dc-4251-b0ee-a65268f29add: AWS Root Credentials
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userIdentity.type')) = 'root', FALSE) ELSE COALESCE(lower(e.identity_type) = 'root', FALSE) END) AND (NOT (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventType')) = 'awsserviceevent', FALSE) ELSE COALESCE(lower(e.event_type) = 'awsserviceevent', FALSE) END)))
