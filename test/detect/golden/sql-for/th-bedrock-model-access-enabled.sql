-- target: cloudtrail
-- th-bedrock-model-access-enabled: Amazon Bedrock model access requested or enabled
(COALESCE(lower(e.eventsource) = 'bedrock.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('putusecaseformodelaccess', 'createfoundationmodelagreement', 'putfoundationmodelentitlement', 'deletemodelinvocationloggingconfiguration'), FALSE))

-- target: parquet
-- th-bedrock-model-access-enabled: Amazon Bedrock model access requested or enabled
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'bedrock.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'bedrock.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('putusecaseformodelaccess', 'createfoundationmodelagreement', 'putfoundationmodelentitlement', 'deletemodelinvocationloggingconfiguration'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('putusecaseformodelaccess', 'createfoundationmodelagreement', 'putfoundationmodelentitlement', 'deletemodelinvocationloggingconfiguration'), FALSE) END))
