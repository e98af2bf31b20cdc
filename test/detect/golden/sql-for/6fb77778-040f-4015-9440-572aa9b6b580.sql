-- target: cloudtrail
-- 6fb77778-040f-4015-9440-572aa9b6b580: Ingress/Egress Security Group Modification
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('authorizesecuritygroupegress', 'authorizesecuritygroupingress', 'revokesecuritygroupegress', 'revokesecuritygroupingress'), FALSE))

-- target: parquet
-- 6fb77778-040f-4015-9440-572aa9b6b580: Ingress/Egress Security Group Modification
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('authorizesecuritygroupegress', 'authorizesecuritygroupingress', 'revokesecuritygroupegress', 'revokesecuritygroupingress'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('authorizesecuritygroupegress', 'authorizesecuritygroupingress', 'revokesecuritygroupegress', 'revokesecuritygroupingress'), FALSE) END))
