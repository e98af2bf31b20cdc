-- target: cloudtrail
-- db014773-7375-4f4e-b83b-133337c0ffee: not translated
-- requestParameters|contains|all = all of ["\"arn:aws:s3:::<YOUR-BUCKET-NAME>/*\"", "\"s3:GetObject\"", "\"Allow\""]: field "requestParameters" is an object in the record (its JSON text is not a column)

-- target: parquet
-- db014773-7375-4f4e-b83b-133337c0ffee: not translated
-- requestParameters|contains|all = all of ["\"arn:aws:s3:::<YOUR-BUCKET-NAME>/*\"", "\"s3:GetObject\"", "\"Allow\""]: field "requestParameters" is an object in the record (its JSON text is not a column)
