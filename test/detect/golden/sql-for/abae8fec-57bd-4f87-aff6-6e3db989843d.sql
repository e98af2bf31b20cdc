-- target: cloudtrail
-- abae8fec-57bd-4f87-aff6-6e3db989843d: AWS Snapshot Backup Exfiltration
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'modifysnapshotattribute', FALSE))

-- target: parquet
-- abae8fec-57bd-4f87-aff6-6e3db989843d: AWS Snapshot Backup Exfiltration
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'modifysnapshotattribute', FALSE) ELSE COALESCE(lower(e.event_name) = 'modifysnapshotattribute', FALSE) END))
