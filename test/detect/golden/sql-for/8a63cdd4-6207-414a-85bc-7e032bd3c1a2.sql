-- target: cloudtrail
-- 8a63cdd4-6207-414a-85bc-7e032bd3c1a2: AWS RDS Master Password Change
(COALESCE(lower(e.eventsource) = 'rds.amazonaws.com', FALSE) AND COALESCE(json_extract_scalar(e.responseelements, '$.pendingModifiedValues.masterUserPassword') IS NOT NULL, FALSE) AND COALESCE(lower(e.eventname) = 'modifydbinstance', FALSE))

-- target: parquet
-- 8a63cdd4-6207-414a-85bc-7e032bd3c1a2: AWS RDS Master Password Change
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'rds.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'rds.amazonaws.com', FALSE) END) AND COALESCE(json_extract_scalar(e.record, '$.responseElements.pendingModifiedValues.masterUserPassword') IS NOT NULL, FALSE) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'modifydbinstance', FALSE) ELSE COALESCE(lower(e.event_name) = 'modifydbinstance', FALSE) END))
