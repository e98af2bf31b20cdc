-- target: cloudtrail
-- cis-aws-7.0-5.2: Management console sign-in without MFA (CIS AWS Foundations v7.0 5.2)
(COALESCE(e.eventname = 'ConsoleLogin', FALSE) AND (json_extract_scalar(e.additionaleventdata, '$.MFAUsed') IS NOT NULL AND NOT COALESCE(json_extract_scalar(e.additionaleventdata, '$.MFAUsed') = 'Yes', FALSE)))

-- target: parquet
-- cis-aws-7.0-5.2: Management console sign-in without MFA (CIS AWS Foundations v7.0 5.2)
((CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.eventName') = 'ConsoleLogin', FALSE) ELSE COALESCE(e.event_name = 'ConsoleLogin', FALSE) END) AND (json_extract_scalar(e.record, '$.additionalEventData.MFAUsed') IS NOT NULL AND NOT COALESCE(json_extract_scalar(e.record, '$.additionalEventData.MFAUsed') = 'Yes', FALSE)))
