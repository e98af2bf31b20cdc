-- target: cloudtrail
-- th-rolesanywhere-trust-anchor-created: IAM Roles Anywhere trust anchor or profile created
(COALESCE(lower(e.eventsource) = 'rolesanywhere.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('createtrustanchor', 'createprofile', 'updatetrustanchor'), FALSE))

-- target: parquet
-- th-rolesanywhere-trust-anchor-created: IAM Roles Anywhere trust anchor or profile created
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'rolesanywhere.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'rolesanywhere.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('createtrustanchor', 'createprofile', 'updatetrustanchor'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('createtrustanchor', 'createprofile', 'updatetrustanchor'), FALSE) END))
