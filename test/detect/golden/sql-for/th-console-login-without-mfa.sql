-- target: cloudtrail
-- th-console-login-without-mfa: IAM user console sign-in without MFA
(COALESCE(lower(e.eventsource) = 'signin.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'consolelogin', FALSE) AND COALESCE(lower(e.useridentity.type) = 'iamuser', FALSE) AND COALESCE(lower(json_extract_scalar(e.additionaleventdata, '$.MFAUsed')) = 'no', FALSE) AND COALESCE(lower(json_extract_scalar(e.responseelements, '$.ConsoleLogin')) = 'success', FALSE))

-- target: parquet
-- th-console-login-without-mfa: IAM user console sign-in without MFA
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'signin.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'signin.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'consolelogin', FALSE) ELSE COALESCE(lower(e.event_name) = 'consolelogin', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userIdentity.type')) = 'iamuser', FALSE) ELSE COALESCE(lower(e.identity_type) = 'iamuser', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.additionalEventData.MFAUsed')) = 'no', FALSE) AND COALESCE(lower(json_extract_scalar(e.record, '$.responseElements.ConsoleLogin')) = 'success', FALSE))
