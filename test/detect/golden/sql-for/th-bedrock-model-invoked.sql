-- target: cloudtrail
-- th-bedrock-model-invoked: Amazon Bedrock model invoked
(COALESCE(lower(e.eventsource) = 'bedrock.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('invokemodel', 'invokemodelwithresponsestream', 'converse', 'conversestream'), FALSE))

-- target: parquet
-- th-bedrock-model-invoked: Amazon Bedrock model invoked
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'bedrock.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'bedrock.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('invokemodel', 'invokemodelwithresponsestream', 'converse', 'conversestream'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('invokemodel', 'invokemodelwithresponsestream', 'converse', 'conversestream'), FALSE) END))
