-- target: cloudtrail
-- th-sigmahq-aws-enum-backup-base: Potential Backup Enumeration on AWS (selection of the SigmaHQ rule)
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('getpassworddata', 'getebsencryptionbydefault', 'getebsdefaultkmskeyid', 'getbucketreplication', 'describevolumes', 'describevolumesmodifications', 'describesnapshotattribute', 'describesnapshottierstatus', 'describeimages'), FALSE))

-- target: parquet
-- th-sigmahq-aws-enum-backup-base: Potential Backup Enumeration on AWS (selection of the SigmaHQ rule)
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('getpassworddata', 'getebsencryptionbydefault', 'getebsdefaultkmskeyid', 'getbucketreplication', 'describevolumes', 'describevolumesmodifications', 'describesnapshotattribute', 'describesnapshottierstatus', 'describeimages'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('getpassworddata', 'getebsencryptionbydefault', 'getebsdefaultkmskeyid', 'getbucketreplication', 'describevolumes', 'describevolumesmodifications', 'describesnapshotattribute', 'describesnapshottierstatus', 'describeimages'), FALSE) END))
