-- target: cloudtrail
-- 54b9a76a-3c71-4673-b4b3-2edb4566ea7b: not translated
-- responseElements|contains = "Failure": field "responseElements" is an object in the record (its JSON text is not a column)

-- target: parquet
-- 54b9a76a-3c71-4673-b4b3-2edb4566ea7b: not translated
-- responseElements|contains = "Failure": field "responseElements" is an object in the record (its JSON text is not a column)
