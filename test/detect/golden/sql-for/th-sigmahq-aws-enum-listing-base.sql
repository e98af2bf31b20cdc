-- target: cloudtrail
-- th-sigmahq-aws-enum-listing-base: Account Enumeration on AWS (selection of the SigmaHQ rule)
COALESCE(lower(e.eventname) LIKE 'list%' ESCAPE '\', FALSE)

-- target: parquet
-- th-sigmahq-aws-enum-listing-base: Account Enumeration on AWS (selection of the SigmaHQ rule)
(CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) LIKE 'list%' ESCAPE '\', FALSE) ELSE COALESCE(lower(e.event_name) LIKE 'list%' ESCAPE '\', FALSE) END)
