-- target: cloudtrail
-- th-config-recording-stopped: AWS Config recorder stopped or deleted, or delivery channel deleted
(COALESCE(lower(e.eventsource) = 'config.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('stopconfigurationrecorder', 'deleteconfigurationrecorder', 'deletedeliverychannel'), FALSE))

-- target: parquet
-- th-config-recording-stopped: AWS Config recorder stopped or deleted, or delivery channel deleted
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'config.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'config.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('stopconfigurationrecorder', 'deleteconfigurationrecorder', 'deletedeliverychannel'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('stopconfigurationrecorder', 'deleteconfigurationrecorder', 'deletedeliverychannel'), FALSE) END))
