-- target: cloudtrail
-- th-bedrock-model-enumeration: Amazon Bedrock foundation models enumerated
(COALESCE(lower(e.eventsource) = 'bedrock.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('listfoundationmodels', 'getfoundationmodelavailability', 'listfoundationmodelagreementoffers', 'listinferenceprofiles', 'getmodelinvocationloggingconfiguration'), FALSE))

-- target: parquet
-- th-bedrock-model-enumeration: Amazon Bedrock foundation models enumerated
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'bedrock.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'bedrock.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('listfoundationmodels', 'getfoundationmodelavailability', 'listfoundationmodelagreementoffers', 'listinferenceprofiles', 'getmodelinvocationloggingconfiguration'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('listfoundationmodels', 'getfoundationmodelavailability', 'listfoundationmodelagreementoffers', 'listinferenceprofiles', 'getmodelinvocationloggingconfiguration'), FALSE) END))
