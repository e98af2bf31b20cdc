-- target: cloudtrail
-- b94bf91e-c2bf-4047-9c43-c6810f43baad: not translated
-- requestParameters.containerDefinitions.command|contains = "$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "containerDefinitions" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none

-- target: parquet
-- b94bf91e-c2bf-4047-9c43-c6810f43baad: not translated
-- requestParameters.containerDefinitions.command|contains = "$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "containerDefinitions" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none
