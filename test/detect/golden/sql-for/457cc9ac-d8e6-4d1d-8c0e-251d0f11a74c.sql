-- target: cloudtrail
-- 457cc9ac-d8e6-4d1d-8c0e-251d0f11a74c: Modification or Deletion of an AWS RDS Cluster
(COALESCE(lower(e.eventsource) = 'rds.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('modifydbcluster', 'deletedbcluster'), FALSE))

-- target: parquet
-- 457cc9ac-d8e6-4d1d-8c0e-251d0f11a74c: Modification or Deletion of an AWS RDS Cluster
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'rds.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'rds.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('modifydbcluster', 'deletedbcluster'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('modifydbcluster', 'deletedbcluster'), FALSE) END))
