-- target: cloudtrail
-- th-sigmahq-aws-enum-storage-base: Potential Storage Enumeration on AWS (selection of the SigmaHQ rule)
(COALESCE(lower(e.eventsource) = 's3.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('listbuckets', 'getbucketcors', 'getbucketinventoryconfiguration', 'getbucketpublicaccessblock', 'getbucketmetricsconfiguration', 'getbucketpolicy', 'getbuckettagging'), FALSE))

-- target: parquet
-- th-sigmahq-aws-enum-storage-base: Potential Storage Enumeration on AWS (selection of the SigmaHQ rule)
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 's3.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 's3.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('listbuckets', 'getbucketcors', 'getbucketinventoryconfiguration', 'getbucketpublicaccessblock', 'getbucketmetricsconfiguration', 'getbucketpolicy', 'getbuckettagging'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('listbuckets', 'getbucketcors', 'getbucketinventoryconfiguration', 'getbucketpublicaccessblock', 'getbucketmetricsconfiguration', 'getbucketpolicy', 'getbuckettagging'), FALSE) END))
