-- target: cloudtrail
-- 97fbabf8-8e1b-47a2-b7d5-a418d2b95e3d: not translated
-- requestParameters.layers|contains = "*": "layers" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none

-- target: parquet
-- 97fbabf8-8e1b-47a2-b7d5-a418d2b95e3d: not translated
-- requestParameters.layers|contains = "*": "layers" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none
