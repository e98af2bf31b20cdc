-- target: cloudtrail
-- d3adb3ef-b7e7-4003-9092-1924c797db35: AWS Identity Center Identity Provider Change
(COALESCE(lower(e.eventsource) IN ('sso-directory.amazonaws.com', 'sso.amazonaws.com'), FALSE) AND COALESCE(lower(e.eventname) IN ('associatedirectory', 'disableexternalidpconfigurationfordirectory', 'disassociatedirectory', 'enableexternalidpconfigurationfordirectory'), FALSE))

-- target: parquet
-- d3adb3ef-b7e7-4003-9092-1924c797db35: AWS Identity Center Identity Provider Change
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) IN ('sso-directory.amazonaws.com', 'sso.amazonaws.com'), FALSE) ELSE COALESCE(lower(e.event_source) IN ('sso-directory.amazonaws.com', 'sso.amazonaws.com'), FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('associatedirectory', 'disableexternalidpconfigurationfordirectory', 'disassociatedirectory', 'enableexternalidpconfigurationfordirectory'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('associatedirectory', 'disableexternalidpconfigurationfordirectory', 'disassociatedirectory', 'enableexternalidpconfigurationfordirectory'), FALSE) END))
