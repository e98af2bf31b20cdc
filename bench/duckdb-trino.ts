// DuckDB standing in for Trino/Athena (no cluster is reachable where trailhound is built): the thin shim for the few
// Trino functions DuckDB spells differently (docs/scale.md lists it), and the AWS-documented CloudTrail table built
// from a trail's original log files, column for column as Athena's JSON SerDe presents them (lowercase names,
// `useridentity` a struct, `requestparameters` & co. as JSON text, `readonly` as text, `"$path"` the log file).
// Used by the tests (test/helpers/duckdb-trino.ts) and the sql-for benchmark.

/** A finding as `trailhound detect --format json` prints it: the fields the parity checks compare. */
export interface DetectFinding {
  ruleId: string;
  group: { actor?: string };
  eventCount: number;
  firstTime: string | null;
  lastTime: string | null;
  outcome: string;
  eventIds: string[];
}

/** Trino names DuckDB lacks, as macros with Trino's meaning. */
export const TRINO_SHIM = [
  // Trino: the scalar at the path as varchar; NULL for an object, an array or JSON null.
  `CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY', 'NULL') THEN NULL ELSE json_extract_string(j, p) END`,
  // Trino: unanchored search, Java-style inline flags; DuckDB's RE2 reads the same (?i)/(?m)/(?s) prefixes.
  `CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)`,
];

const s = (path: string) => `r->>'${path}'`;
const text = (path: string) => `CASE WHEN json_type(r, '${path}') IN ('OBJECT', 'ARRAY') THEN json_extract(r, '${path}')::VARCHAR WHEN json_type(r, '${path}') = 'NULL' THEN NULL ELSE r->>'${path}' END`;

/** CREATE TABLE cloudtrail_logs from CloudTrail log files, as the AWS-documented Athena table shows them. */
export function cloudTrailTableSql(files: readonly string[]): string {
  const ui = '$.userIdentity';
  return `CREATE TABLE cloudtrail_logs AS
SELECT ${s('$.eventVersion')} AS eventversion,
  struct_pack(type := ${s(`${ui}.type`)}, principalid := ${s(`${ui}.principalId`)}, arn := ${s(`${ui}.arn`)}, accountid := ${s(`${ui}.accountId`)},
    invokedby := ${s(`${ui}.invokedBy`)}, accesskeyid := ${s(`${ui}.accessKeyId`)}, username := ${s(`${ui}.userName`)},
    onbehalfof := struct_pack(userid := ${s(`${ui}.onBehalfOf.userId`)}, identitystorearn := ${s(`${ui}.onBehalfOf.identityStoreArn`)}),
    sessioncontext := struct_pack(
      attributes := struct_pack(mfaauthenticated := ${s(`${ui}.sessionContext.attributes.mfaAuthenticated`)}, creationdate := ${s(`${ui}.sessionContext.attributes.creationDate`)}),
      sessionissuer := struct_pack(type := ${s(`${ui}.sessionContext.sessionIssuer.type`)}, principalid := ${s(`${ui}.sessionContext.sessionIssuer.principalId`)},
        arn := ${s(`${ui}.sessionContext.sessionIssuer.arn`)}, accountid := ${s(`${ui}.sessionContext.sessionIssuer.accountId`)}, username := ${s(`${ui}.sessionContext.sessionIssuer.userName`)}),
      ec2roledelivery := ${s(`${ui}.sessionContext.ec2RoleDelivery`)},
      webidfederationdata := struct_pack(federatedprovider := ${s(`${ui}.sessionContext.webIdFederationData.federatedProvider`)}))) AS useridentity,
  ${s('$.eventTime')} AS eventtime, ${s('$.eventSource')} AS eventsource, ${s('$.eventName')} AS eventname, ${s('$.awsRegion')} AS awsregion,
  ${s('$.sourceIPAddress')} AS sourceipaddress, ${s('$.userAgent')} AS useragent, ${s('$.errorCode')} AS errorcode, ${s('$.errorMessage')} AS errormessage,
  ${text('$.requestParameters')} AS requestparameters, ${text('$.responseElements')} AS responseelements,
  ${text('$.additionalEventData')} AS additionaleventdata, ${s('$.requestID')} AS requestid, ${s('$.eventID')} AS eventid,
  ${s('$.eventType')} AS eventtype, ${s('$.apiVersion')} AS apiversion, ${s('$.readOnly')} AS readonly, ${s('$.recipientAccountId')} AS recipientaccountid,
  ${text('$.serviceEventDetails')} AS serviceeventdetails, ${s('$.sharedEventID')} AS sharedeventid, ${s('$.vpcEndpointId')} AS vpcendpointid,
  ${s('$.vpcEndpointAccountId')} AS vpcendpointaccountid, ${s('$.eventCategory')} AS eventcategory,
  struct_pack(tlsversion := ${s('$.tlsDetails.tlsVersion')}, ciphersuite := ${s('$.tlsDetails.cipherSuite')}, clientprovidedhostheader := ${s('$.tlsDetails.clientProvidedHostHeader')}) AS tlsdetails,
  "$path"
FROM (SELECT unnest(Records) AS r, filename AS "$path" FROM read_json([${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ')}], columns = {Records: 'JSON[]'}, filename = true, format = 'auto'))`;
}
