-- target: cloudtrail
-- securityhub-cloudwatch-2: Unauthorized API calls, Security Hub CloudWatch.2 form (CIS AWS Foundations v1.2.0 3.1)
(COALESCE(e.errorcode LIKE '%UnauthorizedOperation' ESCAPE '\', FALSE) OR COALESCE(e.errorcode LIKE 'AccessDenied%' ESCAPE '\', FALSE))

-- target: parquet
-- securityhub-cloudwatch-2: Unauthorized API calls, Security Hub CloudWatch.2 form (CIS AWS Foundations v1.2.0 3.1)
((CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.errorCode') LIKE '%UnauthorizedOperation' ESCAPE '\', FALSE) ELSE COALESCE(e.error_code LIKE '%UnauthorizedOperation' ESCAPE '\', FALSE) END) OR (CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.errorCode') LIKE 'AccessDenied%' ESCAPE '\', FALSE) ELSE COALESCE(e.error_code LIKE 'AccessDenied%' ESCAPE '\', FALSE) END))
