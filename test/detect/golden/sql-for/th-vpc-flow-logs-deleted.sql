-- target: cloudtrail
-- th-vpc-flow-logs-deleted: VPC flow logs deleted
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'deleteflowlogs', FALSE))

-- target: parquet
-- th-vpc-flow-logs-deleted: VPC flow logs deleted
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'deleteflowlogs', FALSE) ELSE COALESCE(lower(e.event_name) = 'deleteflowlogs', FALSE) END))
