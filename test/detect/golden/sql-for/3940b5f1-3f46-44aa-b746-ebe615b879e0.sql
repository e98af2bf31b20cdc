-- target: cloudtrail
-- 3940b5f1-3f46-44aa-b746-ebe615b879e0: AWS Route 53 Domain Transfer Lock Disabled
(COALESCE(lower(e.eventsource) = 'route53.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'disabledomaintransferlock', FALSE))

-- target: parquet
-- 3940b5f1-3f46-44aa-b746-ebe615b879e0: AWS Route 53 Domain Transfer Lock Disabled
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'route53.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'route53.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'disabledomaintransferlock', FALSE) ELSE COALESCE(lower(e.event_name) = 'disabledomaintransferlock', FALSE) END))
