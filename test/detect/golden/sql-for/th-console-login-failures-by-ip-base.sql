-- target: cloudtrail
-- th-console-login-failures-by-ip-base: Failed console sign-in (input of the console-login failure bursts)
(COALESCE(lower(e.eventsource) = 'signin.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'consolelogin', FALSE) AND COALESCE(lower(json_extract_scalar(e.responseelements, '$.ConsoleLogin')) = 'failure', FALSE))

-- target: parquet
-- th-console-login-failures-by-ip-base: Failed console sign-in (input of the console-login failure bursts)
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'signin.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'signin.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'consolelogin', FALSE) ELSE COALESCE(lower(e.event_name) = 'consolelogin', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.responseElements.ConsoleLogin')) = 'failure', FALSE))
