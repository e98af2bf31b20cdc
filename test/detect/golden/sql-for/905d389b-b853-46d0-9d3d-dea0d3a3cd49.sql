-- target: cloudtrail
-- 905d389b-b853-46d0-9d3d-dea0d3a3cd49: AWS STS AssumeRole Misuse
(COALESCE(lower(e.useridentity.type) = 'assumedrole', FALSE) AND COALESCE(lower(e.useridentity.sessioncontext.sessionissuer.type) = 'role', FALSE))

-- target: parquet
-- 905d389b-b853-46d0-9d3d-dea0d3a3cd49: AWS STS AssumeRole Misuse
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userIdentity.type')) = 'assumedrole', FALSE) ELSE COALESCE(lower(e.identity_type) = 'assumedrole', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.userIdentity.sessionContext.sessionIssuer.type')) = 'role', FALSE) ELSE COALESCE(lower(e.session_issuer_type) = 'role', FALSE) END))
