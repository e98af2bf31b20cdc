-- target: cloudtrail
-- th-rds-snapshot-shared-with-account: not translated
-- requestParameters.valuesToAdd = "*": "valuesToAdd" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none

-- target: parquet
-- th-rds-snapshot-shared-with-account: not translated
-- requestParameters.valuesToAdd = "*": "valuesToAdd" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none
