-- target: cloudtrail
-- th-cloudtrail-trail-updated: CloudTrail trail settings changed
(COALESCE(lower(e.eventsource) = 'cloudtrail.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'updatetrail', FALSE))

-- target: parquet
-- th-cloudtrail-trail-updated: CloudTrail trail settings changed
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'cloudtrail.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'cloudtrail.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'updatetrail', FALSE) ELSE COALESCE(lower(e.event_name) = 'updatetrail', FALSE) END))
