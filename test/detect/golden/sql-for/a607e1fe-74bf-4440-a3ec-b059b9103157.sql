-- target: cloudtrail
-- a607e1fe-74bf-4440-a3ec-b059b9103157: AWS SecurityHub Findings Evasion
(COALESCE(lower(e.eventsource) = 'securityhub.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('batchupdatefindings', 'deleteinsight', 'updatefindings', 'updateinsight'), FALSE))

-- target: parquet
-- a607e1fe-74bf-4440-a3ec-b059b9103157: AWS SecurityHub Findings Evasion
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'securityhub.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'securityhub.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('batchupdatefindings', 'deleteinsight', 'updatefindings', 'updateinsight'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('batchupdatefindings', 'deleteinsight', 'updatefindings', 'updateinsight'), FALSE) END))
