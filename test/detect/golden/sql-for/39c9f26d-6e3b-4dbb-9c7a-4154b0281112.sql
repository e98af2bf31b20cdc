-- target: cloudtrail
-- 39c9f26d-6e3b-4dbb-9c7a-4154b0281112: AWS Bucket Deleted
(COALESCE(lower(e.eventname) = 'deletebucket', FALSE) AND (COALESCE(lower(e.errorcode) = 'success', FALSE) OR (e.errorcode IS NULL)))

-- target: parquet
-- 39c9f26d-6e3b-4dbb-9c7a-4154b0281112: AWS Bucket Deleted
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'deletebucket', FALSE) ELSE COALESCE(lower(e.event_name) = 'deletebucket', FALSE) END) AND ((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.errorCode')) = 'success', FALSE) ELSE COALESCE(lower(e.error_code) = 'success', FALSE) END) OR (json_extract_scalar(e.record, '$.errorCode') IS NULL)))
