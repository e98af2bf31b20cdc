-- target: cloudtrail
-- th-route53-resolver-query-logging-removed: Route 53 Resolver query logging deleted or disassociated
(COALESCE(lower(e.eventsource) = 'route53resolver.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('deleteresolverquerylogconfig', 'disassociateresolverquerylogconfig'), FALSE))

-- target: parquet
-- th-route53-resolver-query-logging-removed: Route 53 Resolver query logging deleted or disassociated
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'route53resolver.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'route53resolver.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('deleteresolverquerylogconfig', 'disassociateresolverquerylogconfig'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('deleteresolverquerylogconfig', 'disassociateresolverquerylogconfig'), FALSE) END))
