-- target: cloudtrail
-- th-s3-bucket-policy-public-principal: not translated
-- requestParameters.bucketPolicy.Statement|re = "^(?=.*\"Effect\":\"Allow\")(?=.*\"Principal\":(?:\"\\*\"|\\{\"AWS\":(?:\"\\*\"|\\[[^\\]]*\"\\*\")))(?!.*\"Condition\":)": "Statement" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none

-- target: parquet
-- th-s3-bucket-policy-public-principal: not translated
-- requestParameters.bucketPolicy.Statement|re = "^(?=.*\"Effect\":\"Allow\")(?=.*\"Principal\":(?:\"\\*\"|\\{\"AWS\":(?:\"\\*\"|\\[[^\\]]*\"\\*\")))(?!.*\"Condition\":)": "Statement" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none
