-- target: cloudtrail
-- cis-aws-7.0-5.3: Use of the root user (CIS AWS Foundations v7.0 5.3; Security Hub CloudWatch.1)
(COALESCE(e.useridentity.type = 'Root', FALSE) AND (NOT (e.useridentity.invokedby IS NOT NULL)) AND (e.eventtype IS NOT NULL AND NOT COALESCE(e.eventtype = 'AwsServiceEvent', FALSE)))

-- target: parquet
-- cis-aws-7.0-5.3: Use of the root user (CIS AWS Foundations v7.0 5.3; Security Hub CloudWatch.1)
((CASE WHEN e.odd_fields THEN COALESCE(json_extract_scalar(e.record, '$.userIdentity.type') = 'Root', FALSE) ELSE COALESCE(e.identity_type = 'Root', FALSE) END) AND (NOT (json_extract(e.record, '$.userIdentity.invokedBy') IS NOT NULL)) AND (json_extract_scalar(e.record, '$.eventType') IS NOT NULL AND NOT COALESCE(json_extract_scalar(e.record, '$.eventType') = 'AwsServiceEvent', FALSE)))
