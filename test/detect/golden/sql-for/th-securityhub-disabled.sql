-- target: cloudtrail
-- th-securityhub-disabled: Security Hub disabled, standards disabled or account detached
(COALESCE(lower(e.eventsource) = 'securityhub.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('disablesecurityhub', 'batchdisablestandards', 'disassociatefrommasteraccount', 'disassociatefromadministratoraccount', 'disableimportfindingsforproduct'), FALSE))

-- target: parquet
-- th-securityhub-disabled: Security Hub disabled, standards disabled or account detached
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'securityhub.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'securityhub.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('disablesecurityhub', 'batchdisablestandards', 'disassociatefrommasteraccount', 'disassociatefromadministratoraccount', 'disableimportfindingsforproduct'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('disablesecurityhub', 'batchdisablestandards', 'disassociatefrommasteraccount', 'disassociatefromadministratoraccount', 'disableimportfindingsforproduct'), FALSE) END))
