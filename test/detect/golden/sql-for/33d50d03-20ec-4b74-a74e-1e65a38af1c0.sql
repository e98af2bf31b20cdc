-- target: cloudtrail
-- 33d50d03-20ec-4b74-a74e-1e65a38af1c0: AWS EKS Cluster Created or Deleted
(COALESCE(lower(e.eventsource) = 'eks.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('createcluster', 'deletecluster'), FALSE))

-- target: parquet
-- 33d50d03-20ec-4b74-a74e-1e65a38af1c0: AWS EKS Cluster Created or Deleted
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'eks.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'eks.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('createcluster', 'deletecluster'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('createcluster', 'deletecluster'), FALSE) END))
