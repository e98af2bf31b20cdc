-- target: cloudtrail
-- a136ac98-b2bc-4189-a14d-f0d0388e57a7: not translated
-- requestParameters|contains = "Suspended": field "requestParameters" is an object in the record (its JSON text is not a column)

-- target: parquet
-- a136ac98-b2bc-4189-a14d-f0d0388e57a7: not translated
-- requestParameters|contains = "Suspended": field "requestParameters" is an object in the record (its JSON text is not a column)
