-- target: cloudtrail
-- cis-aws-7.0-5.6: Management console authentication failures (CIS AWS Foundations v7.0 5.6; Security Hub CloudWatch.6)
(COALESCE(e.eventname = 'ConsoleLogin', FALSE) AND COALESCE(e.errormessage = 'Failed authentication', FALSE))

-- target: parquet
-- cis-aws-7.0-5.6: Management console authentication failures (CIS AWS Foundations v7.0 5.6; Security Hub CloudWatch.6)
((CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.eventName') = 'ConsoleLogin', FALSE) ELSE COALESCE(e.event_name = 'ConsoleLogin', FALSE) END) AND COALESCE(json_extract_scalar(e.record, '$.errorMessage') = 'Failed authentication', FALSE))
