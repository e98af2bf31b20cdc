-- target: cloudtrail
-- th-ssm-parameter-decrypted: SSM SecureString parameter read with decryption
(COALESCE(lower(e.eventsource) = 'ssm.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('getparameter', 'getparameters', 'getparametersbypath'), FALSE) AND COALESCE(lower(json_extract_scalar(e.requestparameters, '$.withDecryption')) = 'true', FALSE))

-- target: parquet
-- th-ssm-parameter-decrypted: SSM SecureString parameter read with decryption
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ssm.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ssm.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('getparameter', 'getparameters', 'getparametersbypath'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('getparameter', 'getparameters', 'getparametersbypath'), FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.requestParameters.withDecryption')) = 'true', FALSE))
