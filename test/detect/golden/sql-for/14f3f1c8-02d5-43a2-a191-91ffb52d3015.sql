-- target: cloudtrail
-- 14f3f1c8-02d5-43a2-a191-91ffb52d3015: RDS Database Security Group Modification
(COALESCE(lower(e.eventsource) = 'rds.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('authorizedbsecuritygroupingress', 'createdbsecuritygroup', 'deletedbsecuritygroup', 'revokedbsecuritygroupingress'), FALSE))

-- target: parquet
-- 14f3f1c8-02d5-43a2-a191-91ffb52d3015: RDS Database Security Group Modification
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'rds.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'rds.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('authorizedbsecuritygroupingress', 'createdbsecuritygroup', 'deletedbsecuritygroup', 'revokedbsecuritygroupingress'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('authorizedbsecuritygroupingress', 'createdbsecuritygroup', 'deletedbsecuritygroup', 'revokedbsecuritygroupingress'), FALSE) END))
