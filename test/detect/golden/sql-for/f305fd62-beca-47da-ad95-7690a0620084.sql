-- target: cloudtrail
-- f305fd62-beca-47da-ad95-7690a0620084: Potential Bucket Enumeration on AWS
((COALESCE(lower(e.eventsource) = 's3.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'listbuckets', FALSE)) AND (NOT COALESCE(lower(e.useridentity.type) = 'assumedrole', FALSE)))

-- target: parquet
-- f305fd62-beca-47da-ad95-7690a0620084: Potential Bucket Enumeration on AWS
(((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 's3.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 's3.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'listbuckets', FALSE) ELSE COALESCE(lower(e.event_name) = 'listbuckets', FALSE) END)) AND (NOT (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userIdentity.type')) = 'assumedrole', FALSE) ELSE COALESCE(lower(e.identity_type) = 'assumedrole', FALSE) END)))
