-- target: cloudtrail
-- th-sigmahq-aws-ses-messaging-enabled-base2: Potential AWS Cloud Email Service Abuse (selection2 of the SigmaHQ rule)
(COALESCE(lower(e.eventsource) = 'ses.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'verifyemailidentity', FALSE))

-- target: parquet
-- th-sigmahq-aws-ses-messaging-enabled-base2: Potential AWS Cloud Email Service Abuse (selection2 of the SigmaHQ rule)
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ses.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ses.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'verifyemailidentity', FALSE) ELSE COALESCE(lower(e.event_name) = 'verifyemailidentity', FALSE) END))
