-- target: cloudtrail
-- e1f7febb-7b94-4234-b5c6-00fb8500f5dd: New Network ACL Entry Added
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'createnetworkaclentry', FALSE))

-- target: parquet
-- e1f7febb-7b94-4234-b5c6-00fb8500f5dd: New Network ACL Entry Added
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'createnetworkaclentry', FALSE) ELSE COALESCE(lower(e.event_name) = 'createnetworkaclentry', FALSE) END))
