-- target: cloudtrail
-- cis-aws-7.0-5.7: Disabling or scheduled deletion of customer managed KMS keys (CIS AWS Foundations v7.0 5.7; Security Hub CloudWatch.7)
(COALESCE(e.eventsource = 'kms.amazonaws.com', FALSE) AND (COALESCE(e.eventname = 'DisableKey', FALSE) OR COALESCE(e.eventname = 'ScheduleKeyDeletion', FALSE)))

-- target: parquet
-- cis-aws-7.0-5.7: Disabling or scheduled deletion of customer managed KMS keys (CIS AWS Foundations v7.0 5.7; Security Hub CloudWatch.7)
((CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.eventSource') = 'kms.amazonaws.com', FALSE) ELSE COALESCE(e.event_source = 'kms.amazonaws.com', FALSE) END) AND ((CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.eventName') = 'DisableKey', FALSE) ELSE COALESCE(e.event_name = 'DisableKey', FALSE) END) OR (CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.eventName') = 'ScheduleKeyDeletion', FALSE) ELSE COALESCE(e.event_name = 'ScheduleKeyDeletion', FALSE) END)))
