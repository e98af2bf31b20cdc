-- target: cloudtrail
-- a136ac98-b2bc-4189-a14d-f0d0388e57a7: not translated
-- requestParameters|contains = "Suspended": field "requestParameters" is an object in the record (the AWS table holds its JSON text)

-- target: parquet
-- a136ac98-b2bc-4189-a14d-f0d0388e57a7: AWS S3 Bucket Versioning Disable
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 's3.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 's3.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'putbucketversioning', FALSE) ELSE COALESCE(lower(e.event_name) = 'putbucketversioning', FALSE) END) AND COALESCE(lower(json_extract_scalar(e.record, '$.requestParameters')) LIKE '%suspended%' ESCAPE '\', FALSE))
