-- target: cloudtrail
-- 20f754db-d025-4a8f-9d74-e0037e999a9a: SES Identity Has Been Deleted
(COALESCE(lower(e.eventsource) = 'ses.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'deleteidentity', FALSE))

-- target: parquet
-- 20f754db-d025-4a8f-9d74-e0037e999a9a: SES Identity Has Been Deleted
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ses.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ses.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'deleteidentity', FALSE) ELSE COALESCE(lower(e.event_name) = 'deleteidentity', FALSE) END))
