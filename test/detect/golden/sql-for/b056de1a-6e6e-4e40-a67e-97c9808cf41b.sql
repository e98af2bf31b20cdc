-- target: cloudtrail
-- b056de1a-6e6e-4e40-a67e-97c9808cf41b: AWS Route 53 Domain Transferred to Another Account
(COALESCE(lower(e.eventsource) = 'route53.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) = 'transferdomaintoanotherawsaccount', FALSE))

-- target: parquet
-- b056de1a-6e6e-4e40-a67e-97c9808cf41b: AWS Route 53 Domain Transferred to Another Account
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'route53.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'route53.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) = 'transferdomaintoanotherawsaccount', FALSE) ELSE COALESCE(lower(e.event_name) = 'transferdomaintoanotherawsaccount', FALSE) END))
