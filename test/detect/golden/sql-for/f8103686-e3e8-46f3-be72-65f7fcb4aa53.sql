-- target: cloudtrail
-- f8103686-e3e8-46f3-be72-65f7fcb4aa53: AWS Console GetSigninToken Potential Abuse
((COALESCE(lower(e.eventsource) = 'signin.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'getsignintoken', FALSE)) AND (NOT COALESCE(lower(e.useragent) LIKE '%jersey/${project.version}%' ESCAPE '\', FALSE)))

-- target: parquet
-- f8103686-e3e8-46f3-be72-65f7fcb4aa53: AWS Console GetSigninToken Potential Abuse
(((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'signin.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'signin.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'getsignintoken', FALSE) ELSE COALESCE(lower(e.event_name) = 'getsignintoken', FALSE) END)) AND (NOT (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userAgent')) LIKE '%jersey/${project.version}%' ESCAPE '\', FALSE) ELSE COALESCE(lower(e.user_agent) LIKE '%jersey/${project.version}%' ESCAPE '\', FALSE) END)))
