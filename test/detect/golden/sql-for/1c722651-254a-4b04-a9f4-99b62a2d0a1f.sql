-- target: cloudtrail
-- 1c722651-254a-4b04-a9f4-99b62a2d0a1f: AWS Bedrock Guardrail Updated
(COALESCE(lower(e.eventname) = 'updateguardrail', FALSE) AND COALESCE(lower(e.eventsource) = 'bedrock.amazonaws.com', FALSE))

-- target: parquet
-- 1c722651-254a-4b04-a9f4-99b62a2d0a1f: AWS Bedrock Guardrail Updated
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'updateguardrail', FALSE) ELSE COALESCE(lower(e.event_name) = 'updateguardrail', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'bedrock.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'bedrock.amazonaws.com', FALSE) END))
