-- target: cloudtrail
-- th-ebs-snapshot-shared-with-account: not translated
-- requestParameters.createVolumePermission.add.items.userId = "*": "items" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none

-- target: parquet
-- th-ebs-snapshot-shared-with-account: not translated
-- requestParameters.createVolumePermission.add.items.userId = "*": "items" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none
