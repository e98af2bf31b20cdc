// The suspect window on evidence the tests were not written against: the generator's world with other seeds (other
// ids, times, noise and per-run suffixes), so the judgement is not fitted to the committed sample. For each seed the
// window must start at the planted attack's first event — for the stolen key with a long history, for the CI key with
// two corporate addresses and late-starting evidence, and for the stolen instance session — and the key whose whole
// history is the attack must get a thin baseline, never a high first anomaly.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEvidence } from '../../fixtures/generator/generate.js';
import { openCase, type Db } from '../../src/index/open.js';
import { investigateAccessKey } from '../../src/scenarios/access-key.js';
import { runCliInProcess } from '../helpers/cli.js';
import { tmpDir } from '../helpers/paths.js';

interface Truth {
  incidents: {
    stolenAccessKey: { accessKeyId: string; firstMaliciousEventId: string };
    ciPipelineKey: { accessKeyId: string; firstAttackEventId: string };
    attackPack: { leakedKey: { accessKeyId: string }; stolenInstanceSession: { stolenKey: string; firstTheftEventId: string } };
  };
}

const opts = { filter: {}, tz: 'UTC' };

for (const seed of [11, 2026]) {
  describe(`held-out seed ${seed}`, () => {
    let db: Db;
    let truth: Truth;

    beforeAll(async () => {
      const dir = tmpDir(`trailhound-seed-${seed}-`);
      await generateEvidence({ out: dir, seed, digests: false, exports: false });
      truth = JSON.parse(fs.readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as Truth;
      const file = path.join(dir, 'case.db');
      expect((await runCliInProcess(['ingest', path.join(dir, 'evidence'), '--db', file, '--quiet'])).code).toBe(0);
      db = openCase(file, { readonly: true });
    }, 120_000);
    afterAll(() => db?.close());

    it('the stolen key with a long history: the window starts at the first malicious event, high confidence', () => {
      const k = truth.incidents.stolenAccessKey;
      const w = investigateAccessKey(db, k.accessKeyId, opts).suspectWindow;
      expect(w).toMatchObject({ source: 'first-anomaly', firstAnomalyEventId: k.firstMaliciousEventId, confidence: 'high' });
    });

    it('the CI key used from two corporate addresses since before the evidence starts: the window starts at the attack', () => {
      const k = truth.incidents.ciPipelineKey;
      const r = investigateAccessKey(db, k.accessKeyId, opts);
      expect(r.suspectWindow).toMatchObject({ source: 'first-anomaly', firstAnomalyEventId: k.firstAttackEventId });
      expect(r.baseline.strength).toBe('usable');
    });

    it('the stolen instance session: the window starts at the first call from the thief', () => {
      const s = truth.incidents.attackPack.stolenInstanceSession;
      const r = investigateAccessKey(db, s.stolenKey, opts);
      expect(r.suspectWindow.firstAnomalyEventId).toBe(s.firstTheftEventId);
      expect(r.findings.map((f) => f.type)).toContain('instance-session-used-elsewhere');
    });

    it('the key whose whole history is the attack: thin baseline, no high first anomaly', () => {
      const r = investigateAccessKey(db, truth.incidents.attackPack.leakedKey.accessKeyId, opts);
      expect(r.baseline.strength).not.toBe('usable');
      expect(r.suspectWindow.source).toBe('thin-baseline');
      expect(r.findings.filter((f) => f.type === 'first-anomaly' && f.severity === 'high')).toEqual([]);
    });
  });
}
