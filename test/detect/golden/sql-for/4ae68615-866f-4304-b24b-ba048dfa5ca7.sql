-- target: cloudtrail
-- 4ae68615-866f-4304-b24b-ba048dfa5ca7: AWS ElastiCache Security Group Created
(COALESCE(lower(e.eventsource) = 'elasticache.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'createcachesecuritygroup', FALSE))

-- target: parquet
-- 4ae68615-866f-4304-b24b-ba048dfa5ca7: AWS ElastiCache Security Group Created
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'elasticache.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'elasticache.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'createcachesecuritygroup', FALSE) ELSE COALESCE(lower(e.event_name) = 'createcachesecuritygroup', FALSE) END))
