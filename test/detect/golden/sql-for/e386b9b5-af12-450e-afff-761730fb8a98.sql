-- target: cloudtrail
-- e386b9b5-af12-450e-afff-761730fb8a98: AWS VPC Flow Logs Deleted
(COALESCE(lower(e.eventname) = 'deleteflowlogs', FALSE) AND (COALESCE(lower(e.errorcode) = 'success', FALSE) OR (e.errorcode IS NULL)))

-- target: parquet
-- e386b9b5-af12-450e-afff-761730fb8a98: AWS VPC Flow Logs Deleted
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'deleteflowlogs', FALSE) ELSE COALESCE(lower(e.event_name) = 'deleteflowlogs', FALSE) END) AND ((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.errorCode')) = 'success', FALSE) ELSE COALESCE(lower(e.error_code) = 'success', FALSE) END) OR (json_extract_scalar(e.record, '$.errorCode') IS NULL)))
