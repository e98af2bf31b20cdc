-- target: cloudtrail
-- a840e606-7c8c-4684-9bc1-eb6b6155127f: PUA - AWS TruffleHog Execution
COALESCE(lower(e.useragent) = 'trufflehog', FALSE)

-- target: parquet
-- a840e606-7c8c-4684-9bc1-eb6b6155127f: PUA - AWS TruffleHog Execution
(CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userAgent')) = 'trufflehog', FALSE) ELSE COALESCE(lower(e.user_agent) = 'trufflehog', FALSE) END)
