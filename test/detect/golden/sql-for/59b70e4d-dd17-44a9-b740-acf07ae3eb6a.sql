-- target: cloudtrail
-- 59b70e4d-dd17-44a9-b740-acf07ae3eb6a: AWS Bedrock Guardrail Deleted
(COALESCE(lower(e.eventname) = 'deleteguardrail', FALSE) AND COALESCE(lower(e.eventsource) = 'bedrock.amazonaws.com', FALSE))

-- target: parquet
-- 59b70e4d-dd17-44a9-b740-acf07ae3eb6a: AWS Bedrock Guardrail Deleted
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'deleteguardrail', FALSE) ELSE COALESCE(lower(e.event_name) = 'deleteguardrail', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'bedrock.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'bedrock.amazonaws.com', FALSE) END))
