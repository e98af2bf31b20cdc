-- target: cloudtrail
-- 4990c2e3-f4b8-45e3-bc3c-30b14ff0ed26: AWS Glue Development Endpoint Activity
(COALESCE(lower(e.eventsource) = 'glue.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('createdevendpoint', 'deletedevendpoint', 'updatedevendpoint'), FALSE))

-- target: parquet
-- 4990c2e3-f4b8-45e3-bc3c-30b14ff0ed26: AWS Glue Development Endpoint Activity
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'glue.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'glue.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('createdevendpoint', 'deletedevendpoint', 'updatedevendpoint'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('createdevendpoint', 'deletedevendpoint', 'updatedevendpoint'), FALSE) END))
