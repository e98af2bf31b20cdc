-- target: cloudtrail
-- 54b9a76a-3c71-4673-b4b3-2edb4566ea7b: not translated
-- responseElements|contains = "Failure": field "responseElements" is an object in the record (the AWS table holds its JSON text)

-- target: parquet
-- 54b9a76a-3c71-4673-b4b3-2edb4566ea7b: AWS EC2 VM Export Failure
(((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'createinstanceexporttask', FALSE) ELSE COALESCE(lower(e.event_name) = 'createinstanceexporttask', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END)) AND (NOT (COALESCE(json_extract_scalar(e.record, '$.errorMessage') IS NOT NULL, FALSE) OR COALESCE(json_extract_scalar(e.record, '$.errorCode') IS NOT NULL, FALSE) OR COALESCE(lower(json_extract_scalar(e.record, '$.responseElements')) LIKE '%failure%' ESCAPE '\', FALSE))))
