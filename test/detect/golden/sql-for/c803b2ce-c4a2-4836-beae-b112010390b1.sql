-- target: cloudtrail
-- c803b2ce-c4a2-4836-beae-b112010390b1: New Network Route Added
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'createroute', FALSE))

-- target: parquet
-- c803b2ce-c4a2-4836-beae-b112010390b1: New Network Route Added
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'createroute', FALSE) ELSE COALESCE(lower(e.event_name) = 'createroute', FALSE) END))
