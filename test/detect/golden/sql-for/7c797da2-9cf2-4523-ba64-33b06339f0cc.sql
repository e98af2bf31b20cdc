-- target: cloudtrail
-- 7c797da2-9cf2-4523-ba64-33b06339f0cc: AWS ElastiCache Security Group Modified or Deleted
(COALESCE(lower(e.eventsource) = 'elasticache.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('deletecachesecuritygroup', 'authorizecachesecuritygroupingress', 'revokecachesecuritygroupingress', 'authorizecachesecuritygroupegress', 'revokecachesecuritygroupegress'), FALSE))

-- target: parquet
-- 7c797da2-9cf2-4523-ba64-33b06339f0cc: AWS ElastiCache Security Group Modified or Deleted
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'elasticache.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'elasticache.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('deletecachesecuritygroup', 'authorizecachesecuritygroupingress', 'revokecachesecuritygroupingress', 'authorizecachesecuritygroupegress', 'revokecachesecuritygroupegress'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('deletecachesecuritygroup', 'authorizecachesecuritygroupingress', 'revokecachesecuritygroupingress', 'authorizecachesecuritygroupegress', 'revokecachesecuritygroupegress'), FALSE) END))
