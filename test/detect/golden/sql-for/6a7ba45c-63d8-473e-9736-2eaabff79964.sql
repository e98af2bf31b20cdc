-- target: cloudtrail
-- 6a7ba45c-63d8-473e-9736-2eaabff79964: AWS EFS Fileshare Mount Modified or Deleted
(COALESCE(lower(e.eventsource) = 'elasticfilesystem.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'deletemounttarget', FALSE))

-- target: parquet
-- 6a7ba45c-63d8-473e-9736-2eaabff79964: AWS EFS Fileshare Mount Modified or Deleted
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'elasticfilesystem.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'elasticfilesystem.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'deletemounttarget', FALSE) ELSE COALESCE(lower(e.event_name) = 'deletemounttarget', FALSE) END))
