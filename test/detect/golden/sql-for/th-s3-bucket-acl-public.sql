-- target: cloudtrail
-- th-s3-bucket-acl-public: not translated
-- requestParameters|contains = any of ["acs.amazonaws.com/groups/global/AllUsers", "acs.amazonaws.com/groups/global/AuthenticatedUsers"]: field "requestParameters" is an object in the record (its JSON text is not a column)
-- requestParameters.x-amz-acl = any of ["public-read", "public-read-write", "authenticated-read"]: field "requestParameters.x-amz-acl" has a key json_extract_scalar cannot name

-- target: parquet
-- th-s3-bucket-acl-public: not translated
-- requestParameters|contains = any of ["acs.amazonaws.com/groups/global/AllUsers", "acs.amazonaws.com/groups/global/AuthenticatedUsers"]: field "requestParameters" is an object in the record (its JSON text is not a column)
-- requestParameters.x-amz-acl = any of ["public-read", "public-read-write", "authenticated-read"]: field "requestParameters.x-amz-acl" has a key json_extract_scalar cannot name
