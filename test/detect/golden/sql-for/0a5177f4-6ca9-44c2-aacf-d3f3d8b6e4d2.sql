-- target: cloudtrail
-- 0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2: AWS IAM Backdoor Users Keys
((COALESCE(lower(e.eventsource) = 'iam.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'createaccesskey', FALSE)) AND (NOT COALESCE(lower(e.useridentity.arn) LIKE '%responseelements.accesskey.username%' ESCAPE '\', FALSE)))

-- target: parquet
-- 0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2: AWS IAM Backdoor Users Keys
(((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'iam.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'iam.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'createaccesskey', FALSE) ELSE COALESCE(lower(e.event_name) = 'createaccesskey', FALSE) END)) AND (NOT (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userIdentity.arn')) LIKE '%responseelements.accesskey.username%' ESCAPE '\', FALSE) ELSE COALESCE(lower(e.arn) LIKE '%responseelements.accesskey.username%' ESCAPE '\', FALSE) END)))
