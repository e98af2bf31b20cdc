-- target: cloudtrail
-- 92f84194-8d9a-4ee0-8699-c30bfac59780: AWS Key Pair Import Activity
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'importkeypair', FALSE))

-- target: parquet
-- 92f84194-8d9a-4ee0-8699-c30bfac59780: AWS Key Pair Import Activity
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'importkeypair', FALSE) ELSE COALESCE(lower(e.event_name) = 'importkeypair', FALSE) END))
