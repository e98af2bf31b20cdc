-- target: cloudtrail
-- cis-aws-7.0-5.2-sso: Successful IAM-user console sign-in without MFA (CIS AWS Foundations v7.0 5.2, SSO variant; Security Hub CloudWatch.3)
(COALESCE(e.eventname = 'ConsoleLogin', FALSE) AND (json_extract_scalar(e.additionaleventdata, '$.MFAUsed') IS NOT NULL AND NOT COALESCE(json_extract_scalar(e.additionaleventdata, '$.MFAUsed') = 'Yes', FALSE)) AND COALESCE(e.useridentity.type = 'IAMUser', FALSE) AND COALESCE(json_extract_scalar(e.responseelements, '$.ConsoleLogin') = 'Success', FALSE))

-- target: parquet
-- cis-aws-7.0-5.2-sso: Successful IAM-user console sign-in without MFA (CIS AWS Foundations v7.0 5.2, SSO variant; Security Hub CloudWatch.3)
((CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.eventName') = 'ConsoleLogin', FALSE) ELSE COALESCE(e.event_name = 'ConsoleLogin', FALSE) END) AND (json_extract_scalar(e.record, '$.additionalEventData.MFAUsed') IS NOT NULL AND NOT COALESCE(json_extract_scalar(e.record, '$.additionalEventData.MFAUsed') = 'Yes', FALSE)) AND (CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.userIdentity.type') = 'IAMUser', FALSE) ELSE COALESCE(e.identity_type = 'IAMUser', FALSE) END) AND COALESCE(json_extract_scalar(e.record, '$.responseElements.ConsoleLogin') = 'Success', FALSE))
