-- target: cloudtrail
-- th-secrets-mass-retrieval-base: Secrets Manager GetSecretValue (input of th-secrets-mass-retrieval)
(COALESCE(lower(e.eventsource) = 'secretsmanager.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'getsecretvalue', FALSE))

-- target: parquet
-- th-secrets-mass-retrieval-base: Secrets Manager GetSecretValue (input of th-secrets-mass-retrieval)
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'secretsmanager.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'secretsmanager.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'getsecretvalue', FALSE) ELSE COALESCE(lower(e.event_name) = 'getsecretvalue', FALSE) END))
