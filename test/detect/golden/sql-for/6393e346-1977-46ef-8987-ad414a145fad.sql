-- target: cloudtrail
-- 6393e346-1977-46ef-8987-ad414a145fad: AWS ConsoleLogin Failed Authentication
(COALESCE(lower(e.eventname) = 'consolelogin', FALSE) AND COALESCE(lower(e.errormessage) = 'failed authentication', FALSE))

-- target: parquet
-- 6393e346-1977-46ef-8987-ad414a145fad: AWS ConsoleLogin Failed Authentication
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'consolelogin', FALSE) ELSE COALESCE(lower(e.event_name) = 'consolelogin', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.errorMessage')) = 'failed authentication', FALSE))
