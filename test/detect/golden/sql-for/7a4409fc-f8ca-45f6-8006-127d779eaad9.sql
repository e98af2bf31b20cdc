-- target: cloudtrail
-- 7a4409fc-f8ca-45f6-8006-127d779eaad9: LoadBalancer Security Group Modification
(COALESCE(lower(e.eventsource) = 'elasticloadbalancing.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('applysecuritygroupstoloadbalancer', 'setsecuritygroups'), FALSE))

-- target: parquet
-- 7a4409fc-f8ca-45f6-8006-127d779eaad9: LoadBalancer Security Group Modification
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'elasticloadbalancing.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'elasticloadbalancing.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('applysecuritygroupstoloadbalancer', 'setsecuritygroups'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('applysecuritygroupstoloadbalancer', 'setsecuritygroups'), FALSE) END))
