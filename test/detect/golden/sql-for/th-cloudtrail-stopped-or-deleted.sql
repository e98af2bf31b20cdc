-- target: cloudtrail
-- th-cloudtrail-stopped-or-deleted: CloudTrail trail stopped or deleted
(COALESCE(lower(e.eventsource) = 'cloudtrail.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('stoplogging', 'deletetrail'), FALSE))

-- target: parquet
-- th-cloudtrail-stopped-or-deleted: CloudTrail trail stopped or deleted
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'cloudtrail.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'cloudtrail.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('stoplogging', 'deletetrail'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('stoplogging', 'deletetrail'), FALSE) END))
