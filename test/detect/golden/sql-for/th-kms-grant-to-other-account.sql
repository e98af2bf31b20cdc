-- target: cloudtrail
-- th-kms-grant-to-other-account: not translated
-- requestParameters.granteePrincipal|fieldref|contains = "recipientAccountId": needs the whole record (a keyword or a field reference)

-- target: parquet
-- th-kms-grant-to-other-account: not translated
-- requestParameters.granteePrincipal|fieldref|contains = "recipientAccountId": needs the whole record (a keyword or a field reference)
