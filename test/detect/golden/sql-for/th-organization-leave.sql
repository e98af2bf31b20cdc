-- target: cloudtrail
-- th-organization-leave: Account left or tried to leave the AWS organization
(COALESCE(lower(e.eventsource) = 'organizations.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'leaveorganization', FALSE))

-- target: parquet
-- th-organization-leave: Account left or tried to leave the AWS organization
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'organizations.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'organizations.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'leaveorganization', FALSE) ELSE COALESCE(lower(e.event_name) = 'leaveorganization', FALSE) END))
