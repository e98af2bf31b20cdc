-- target: cloudtrail
-- th-ssm-parameters-mass-retrieval-base: SSM GetParameter with decryption (input of th-ssm-parameters-mass-retrieval)
(COALESCE(lower(e.eventsource) = 'ssm.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'getparameter', FALSE) AND COALESCE(lower(json_extract_scalar(e.requestparameters, '$.withDecryption')) = 'true', FALSE))

-- target: parquet
-- th-ssm-parameters-mass-retrieval-base: SSM GetParameter with decryption (input of th-ssm-parameters-mass-retrieval)
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ssm.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ssm.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'getparameter', FALSE) ELSE COALESCE(lower(e.event_name) = 'getparameter', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.requestParameters.withDecryption')) = 'true', FALSE))
