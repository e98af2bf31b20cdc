-- target: cloudtrail
-- 07330162-dba1-4746-8121-a9647d49d297: AWS Config Disabling Channel/Recorder
(COALESCE(lower(e.eventsource) = 'config.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('deletedeliverychannel', 'stopconfigurationrecorder'), FALSE))

-- target: parquet
-- 07330162-dba1-4746-8121-a9647d49d297: AWS Config Disabling Channel/Recorder
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'config.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'config.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('deletedeliverychannel', 'stopconfigurationrecorder'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('deletedeliverychannel', 'stopconfigurationrecorder'), FALSE) END))
