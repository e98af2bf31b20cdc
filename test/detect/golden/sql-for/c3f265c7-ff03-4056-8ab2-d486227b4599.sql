-- target: cloudtrail
-- c3f265c7-ff03-4056-8ab2-d486227b4599: Restore Public AWS RDS Instance
(COALESCE(lower(e.eventsource) = 'rds.amazonaws.com', FALSE) AND COALESCE(lower(json_extract_scalar(e.responseelements, '$.publiclyAccessible')) = 'true', FALSE) AND COALESCE(lower(e.eventname) = 'restoredbinstancefromdbsnapshot', FALSE))

-- target: parquet
-- c3f265c7-ff03-4056-8ab2-d486227b4599: Restore Public AWS RDS Instance
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'rds.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'rds.amazonaws.com', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.responseElements.publiclyAccessible')) = 'true', FALSE) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'restoredbinstancefromdbsnapshot', FALSE) ELSE COALESCE(lower(e.event_name) = 'restoredbinstancefromdbsnapshot', FALSE) END))
