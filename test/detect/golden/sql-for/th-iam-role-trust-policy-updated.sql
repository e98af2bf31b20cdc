-- target: cloudtrail
-- th-iam-role-trust-policy-updated: IAM role trust policy changed
(COALESCE(lower(e.eventsource) = 'iam.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'updateassumerolepolicy', FALSE))

-- target: parquet
-- th-iam-role-trust-policy-updated: IAM role trust policy changed
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'iam.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'iam.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'updateassumerolepolicy', FALSE) ELSE COALESCE(lower(e.event_name) = 'updateassumerolepolicy', FALSE) END))
