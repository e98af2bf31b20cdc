-- target: cloudtrail
-- a5ffb6ea-c784-4e01-b30a-deb6e58ca2ab: AWS EnableRegion Command Monitoring
(COALESCE(lower(e.eventname) = 'enableregion', FALSE) AND COALESCE(lower(e.eventsource) = 'account.amazonaws.com', FALSE))

-- target: parquet
-- a5ffb6ea-c784-4e01-b30a-deb6e58ca2ab: AWS EnableRegion Command Monitoring
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'enableregion', FALSE) ELSE COALESCE(lower(e.event_name) = 'enableregion', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'account.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'account.amazonaws.com', FALSE) END))
