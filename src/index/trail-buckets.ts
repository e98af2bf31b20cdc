// The buckets the case's trails deliver to, as the evidence shows them: the folder a log file's S3 layout sits in
// (`<bucket>/[<prefix>/]AWSLogs/…`, or the root given to ingest when the path starts at AWSLogs/) and the buckets of
// the digest chains verify recorded. Candidates, not proof: between the bucket folder and AWSLogs/ a key prefix is
// indistinguishable offline, so every folder name there is returned. One pass over the sources table (one row per
// file, not per event).

import type { Db } from './open.js';

/** Folder names that may be the trail buckets of the case's log files and digest chains, sorted. */
export function trailBucketCandidates(db: Db): string[] {
  const out = new Set<string>();
  const rows = db
    .prepare(
      `SELECT DISTINCT root, substr(path, 1, instr(path, 'AWSLogs/') - 1) AS before FROM sources
       WHERE instr(path, 'AWSLogs/') > 0 AND status != 'failed'`,
    )
    .raw()
    .all() as Array<[string, string]>;
  for (const [root, before] of rows) {
    const folders = before.split('/').filter((x) => x !== '');
    if (folders.length) for (const f of folders) out.add(f);
    else {
      const last = root.replace(/[\\/]+$/, '').split(/[\\/]/).pop();
      if (last) out.add(last);
    }
  }
  const chains = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'integrity_chains'").get();
  if (chains) {
    for (const b of db.prepare('SELECT DISTINCT bucket FROM integrity_chains WHERE bucket IS NOT NULL').pluck().all() as string[]) out.add(b);
  }
  return [...out].sort();
}
