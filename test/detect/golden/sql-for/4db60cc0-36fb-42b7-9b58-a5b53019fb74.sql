-- target: cloudtrail
-- 4db60cc0-36fb-42b7-9b58-a5b53019fb74: AWS CloudTrail Important Change
(COALESCE(lower(e.eventsource) = 'cloudtrail.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('stoplogging', 'updatetrail', 'deletetrail'), FALSE))

-- target: parquet
-- 4db60cc0-36fb-42b7-9b58-a5b53019fb74: AWS CloudTrail Important Change
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'cloudtrail.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'cloudtrail.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('stoplogging', 'updatetrail', 'deletetrail'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('stoplogging', 'updatetrail', 'deletetrail'), FALSE) END))
