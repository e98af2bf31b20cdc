-- target: cloudtrail
-- f43f5d2f-3f2a-4cc8-b1af-81fde7dbaf0e: AWS Suspicious SAML Activity
((COALESCE(lower(e.eventsource) = 'sts.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'assumerolewithsaml', FALSE)) OR (COALESCE(lower(e.eventsource) = 'iam.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'updatesamlprovider', FALSE)))

-- target: parquet
-- f43f5d2f-3f2a-4cc8-b1af-81fde7dbaf0e: AWS Suspicious SAML Activity
(((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'sts.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'sts.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'assumerolewithsaml', FALSE) ELSE COALESCE(lower(e.event_name) = 'assumerolewithsaml', FALSE) END)) OR ((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'iam.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'iam.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'updatesamlprovider', FALSE) ELSE COALESCE(lower(e.event_name) = 'updatesamlprovider', FALSE) END)))
