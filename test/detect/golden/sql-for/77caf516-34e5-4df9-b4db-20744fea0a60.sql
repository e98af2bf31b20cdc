-- target: cloudtrail
-- 77caf516-34e5-4df9-b4db-20744fea0a60: AWS Successful Console Login Without MFA
(COALESCE(lower(e.eventname) = 'consolelogin', FALSE) AND COALESCE(lower(json_extract_scalar(e.additionaleventdata, '$.MFAUsed')) = 'no', FALSE) AND COALESCE(lower(json_extract_scalar(e.responseelements, '$.ConsoleLogin')) = 'success', FALSE))

-- target: parquet
-- 77caf516-34e5-4df9-b4db-20744fea0a60: AWS Successful Console Login Without MFA
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'consolelogin', FALSE) ELSE COALESCE(lower(e.event_name) = 'consolelogin', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.additionalEventData.MFAUsed')) = 'no', FALSE) AND COALESCE(lower(json_extract_scalar(e.record, '$.responseElements.ConsoleLogin')) = 'success', FALSE))
