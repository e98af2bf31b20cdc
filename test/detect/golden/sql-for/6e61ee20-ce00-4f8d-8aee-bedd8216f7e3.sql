-- target: cloudtrail
-- 6e61ee20-ce00-4f8d-8aee-bedd8216f7e3: AWS GuardDuty Important Change
(COALESCE(lower(e.eventsource) = 'guardduty.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'createipset', FALSE))

-- target: parquet
-- 6e61ee20-ce00-4f8d-8aee-bedd8216f7e3: AWS GuardDuty Important Change
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'guardduty.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'guardduty.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'createipset', FALSE) ELSE COALESCE(lower(e.event_name) = 'createipset', FALSE) END))
