-- target: cloudtrail
-- 25cb1ba1-8a19-4a23-a198-d252664c8cef: AWS EFS Fileshare Modified or Deleted
(COALESCE(lower(e.eventsource) = 'elasticfilesystem.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'deletefilesystem', FALSE))

-- target: parquet
-- 25cb1ba1-8a19-4a23-a198-d252664c8cef: AWS EFS Fileshare Modified or Deleted
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'elasticfilesystem.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'elasticfilesystem.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'deletefilesystem', FALSE) ELSE COALESCE(lower(e.event_name) = 'deletefilesystem', FALSE) END))
