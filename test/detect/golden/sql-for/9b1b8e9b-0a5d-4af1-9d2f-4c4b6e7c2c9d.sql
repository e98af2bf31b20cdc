-- target: cloudtrail
-- 9b1b8e9b-0a5d-4af1-9d2f-4c4b6e7c2c9d: AWS STS GetCallerIdentity Enumeration Via TruffleHog
(COALESCE(lower(e.eventsource) = 'sts.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'getcalleridentity', FALSE) AND COALESCE(lower(e.useragent) LIKE '%trufflehog%' ESCAPE '\', FALSE))

-- target: parquet
-- 9b1b8e9b-0a5d-4af1-9d2f-4c4b6e7c2c9d: AWS STS GetCallerIdentity Enumeration Via TruffleHog
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'sts.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'sts.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'getcalleridentity', FALSE) ELSE COALESCE(lower(e.event_name) = 'getcalleridentity', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userAgent')) LIKE '%trufflehog%' ESCAPE '\', FALSE) ELSE COALESCE(lower(e.user_agent) LIKE '%trufflehog%' ESCAPE '\', FALSE) END))
