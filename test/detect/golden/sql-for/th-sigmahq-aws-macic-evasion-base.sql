-- target: cloudtrail
-- th-sigmahq-aws-macic-evasion-base: AWS Macie Evasion (selection of the SigmaHQ rule)
COALESCE(lower(e.eventname) IN ('archivefindings', 'createfindingsfilter', 'deletemember', 'disassociatefrommasteraccount', 'disassociatemember', 'disablemacie', 'disableorganizationadminaccount', 'updatefindingsfilter', 'updatemaciesession', 'updatemembersession', 'updateclassificationjob'), FALSE)

-- target: parquet
-- th-sigmahq-aws-macic-evasion-base: AWS Macie Evasion (selection of the SigmaHQ rule)
(CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('archivefindings', 'createfindingsfilter', 'deletemember', 'disassociatefrommasteraccount', 'disassociatemember', 'disablemacie', 'disableorganizationadminaccount', 'updatefindingsfilter', 'updatemaciesession', 'updatemembersession', 'updateclassificationjob'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('archivefindings', 'createfindingsfilter', 'deletemember', 'disassociatefrommasteraccount', 'disassociatemember', 'disablemacie', 'disableorganizationadminaccount', 'updatefindingsfilter', 'updatemaciesession', 'updatemembersession', 'updateclassificationjob'), FALSE) END)
