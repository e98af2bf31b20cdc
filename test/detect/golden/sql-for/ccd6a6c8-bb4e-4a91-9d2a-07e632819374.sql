-- target: cloudtrail
-- ccd6a6c8-bb4e-4a91-9d2a-07e632819374: not translated
-- status = "success": the AWS CloudTrail table has no column for "status"

-- target: parquet
-- ccd6a6c8-bb4e-4a91-9d2a-07e632819374: AWS SAML Provider Deletion Activity
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'iam.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'iam.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'deletesamlprovider', FALSE) ELSE COALESCE(lower(e.event_name) = 'deletesamlprovider', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.status')) = 'success', FALSE))
