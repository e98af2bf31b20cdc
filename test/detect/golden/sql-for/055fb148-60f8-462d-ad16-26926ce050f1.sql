-- target: cloudtrail
-- 055fb148-60f8-462d-ad16-26926ce050f1: not translated
-- userIdentity.arn|fieldref = "requestParameters.userName": needs the whole record (a keyword or a field reference)

-- target: parquet
-- 055fb148-60f8-462d-ad16-26926ce050f1: not translated
-- userIdentity.arn|fieldref = "requestParameters.userName": needs the whole record (a keyword or a field reference)
