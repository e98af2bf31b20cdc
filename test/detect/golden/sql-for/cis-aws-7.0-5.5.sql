-- target: cloudtrail
-- cis-aws-7.0-5.5: CloudTrail configuration changes (CIS AWS Foundations v7.0 5.5; Security Hub CloudWatch.5)
(COALESCE(e.eventname = 'CreateTrail', FALSE) OR COALESCE(e.eventname = 'UpdateTrail', FALSE) OR COALESCE(e.eventname = 'DeleteTrail', FALSE) OR COALESCE(e.eventname = 'StartLogging', FALSE) OR COALESCE(e.eventname = 'StopLogging', FALSE))

-- target: parquet
-- cis-aws-7.0-5.5: CloudTrail configuration changes (CIS AWS Foundations v7.0 5.5; Security Hub CloudWatch.5)
((CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.eventName') = 'CreateTrail', FALSE) ELSE COALESCE(e.event_name = 'CreateTrail', FALSE) END) OR (CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.eventName') = 'UpdateTrail', FALSE) ELSE COALESCE(e.event_name = 'UpdateTrail', FALSE) END) OR (CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.eventName') = 'DeleteTrail', FALSE) ELSE COALESCE(e.event_name = 'DeleteTrail', FALSE) END) OR (CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.eventName') = 'StartLogging', FALSE) ELSE COALESCE(e.event_name = 'StartLogging', FALSE) END) OR (CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.eventName') = 'StopLogging', FALSE) ELSE COALESCE(e.event_name = 'StopLogging', FALSE) END))
