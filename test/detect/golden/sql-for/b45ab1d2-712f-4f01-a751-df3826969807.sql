-- target: cloudtrail
-- b45ab1d2-712f-4f01-a751-df3826969807: AWS STS GetSessionToken Misuse
(COALESCE(lower(e.eventsource) = 'sts.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'getsessiontoken', FALSE) AND COALESCE(lower(e.useridentity.type) = 'iamuser', FALSE))

-- target: parquet
-- b45ab1d2-712f-4f01-a751-df3826969807: AWS STS GetSessionToken Misuse
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'sts.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'sts.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'getsessiontoken', FALSE) ELSE COALESCE(lower(e.event_name) = 'getsessiontoken', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userIdentity.type')) = 'iamuser', FALSE) ELSE COALESCE(lower(e.identity_type) = 'iamuser', FALSE) END))
