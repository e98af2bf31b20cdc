-- target: cloudtrail
-- 1279262f-1464-422f-ac0d-5b545320c526: AWS KMS Imported Key Material Usage
(COALESCE(lower(e.eventsource) = 'kms.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('importkeymaterial', 'deleteimportedkeymaterial'), FALSE))

-- target: parquet
-- 1279262f-1464-422f-ac0d-5b545320c526: AWS KMS Imported Key Material Usage
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'kms.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'kms.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('importkeymaterial', 'deleteimportedkeymaterial'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('importkeymaterial', 'deleteimportedkeymaterial'), FALSE) END))
