-- target: cloudtrail
-- cis-aws-7.0-5.1-grouped: Unauthorized API calls, exclusions applied to both error forms (CIS AWS Foundations v7.0 5.1, intended grouping)
((COALESCE(e.errorcode LIKE '%UnauthorizedOperation' ESCAPE '\', FALSE) OR COALESCE(e.errorcode LIKE 'AccessDenied%' ESCAPE '\', FALSE)) AND (e.sourceipaddress IS NOT NULL AND NOT COALESCE(e.sourceipaddress = 'delivery.logs.amazonaws.com', FALSE)) AND (e.eventname IS NOT NULL AND NOT COALESCE(e.eventname = 'HeadBucket', FALSE)))

-- target: parquet
-- cis-aws-7.0-5.1-grouped: Unauthorized API calls, exclusions applied to both error forms (CIS AWS Foundations v7.0 5.1, intended grouping)
(((CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.errorCode') LIKE '%UnauthorizedOperation' ESCAPE '\', FALSE) ELSE COALESCE(e.error_code LIKE '%UnauthorizedOperation' ESCAPE '\', FALSE) END) OR (CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.errorCode') LIKE 'AccessDenied%' ESCAPE '\', FALSE) ELSE COALESCE(e.error_code LIKE 'AccessDenied%' ESCAPE '\', FALSE) END)) AND (json_extract_scalar(e.record, '$.sourceIPAddress') IS NOT NULL AND NOT COALESCE(json_extract_scalar(e.record, '$.sourceIPAddress') = 'delivery.logs.amazonaws.com', FALSE)) AND (json_extract_scalar(e.record, '$.eventName') IS NOT NULL AND NOT COALESCE(json_extract_scalar(e.record, '$.eventName') = 'HeadBucket', FALSE)))
