-- target: cloudtrail
-- th-secret-value-retrieved: Secrets Manager secret value retrieved
(COALESCE(lower(e.eventsource) = 'secretsmanager.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('getsecretvalue', 'batchgetsecretvalue'), FALSE))

-- target: parquet
-- th-secret-value-retrieved: Secrets Manager secret value retrieved
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'secretsmanager.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'secretsmanager.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('getsecretvalue', 'batchgetsecretvalue'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('getsecretvalue', 'batchgetsecretvalue'), FALSE) END))
