-- target: cloudtrail
-- th-ami-shared-with-account: not translated
-- requestParameters.launchPermission.add.items.userId = "*": "items" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none

-- target: parquet
-- th-ami-shared-with-account: not translated
-- requestParameters.launchPermission.add.items.userId = "*": "items" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none
