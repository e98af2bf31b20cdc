-- target: cloudtrail
-- 78b3756a-7804-4ef7-8555-7b9024a02e2d: AWS S3 Data Management Tampering
(COALESCE(lower(e.eventsource) = 's3.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('putbucketlogging', 'putbucketwebsite', 'putencryptionconfiguration', 'putlifecycleconfiguration', 'putreplicationconfiguration', 'replicateobject', 'restoreobject'), FALSE))

-- target: parquet
-- 78b3756a-7804-4ef7-8555-7b9024a02e2d: AWS S3 Data Management Tampering
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 's3.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 's3.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('putbucketlogging', 'putbucketwebsite', 'putencryptionconfiguration', 'putlifecycleconfiguration', 'putreplicationconfiguration', 'replicateobject', 'restoreobject'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('putbucketlogging', 'putbucketwebsite', 'putencryptionconfiguration', 'putlifecycleconfiguration', 'putreplicationconfiguration', 'replicateobject', 'restoreobject'), FALSE) END))
