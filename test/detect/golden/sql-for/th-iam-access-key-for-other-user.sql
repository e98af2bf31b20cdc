-- target: cloudtrail
-- th-iam-access-key-for-other-user: not translated
-- requestParameters.userName|fieldref = "userIdentity.userName": needs the whole record (a keyword or a field reference)

-- target: parquet
-- th-iam-access-key-for-other-user: not translated
-- requestParameters.userName|fieldref = "userIdentity.userName": needs the whole record (a keyword or a field reference)
