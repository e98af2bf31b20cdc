-- target: cloudtrail
-- th-root-console-login: Root user console sign-in
(COALESCE(lower(e.eventsource) = 'signin.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'consolelogin', FALSE) AND COALESCE(lower(e.useridentity.type) = 'root', FALSE))

-- target: parquet
-- th-root-console-login: Root user console sign-in
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'signin.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'signin.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'consolelogin', FALSE) ELSE COALESCE(lower(e.event_name) = 'consolelogin', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userIdentity.type')) = 'root', FALSE) ELSE COALESCE(lower(e.identity_type) = 'root', FALSE) END))
