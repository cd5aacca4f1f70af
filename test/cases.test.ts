// Golden cases: one folder per case under test/cases/<mapping-id>/<case>/; adding a case adds files, not code.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES_DIR, loadEngine, runCase, type Engine } from './cases/run-case.js';

const dirsIn = (dir: string) => readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isDirectory()).sort();
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8')) as unknown;

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine();
});

describe('golden cases', () => {
  it('cover every mapping, each with at least one fault case', () => {
    const covered = new Set(dirsIn(CASES_DIR));
    for (const m of engine.registry.all()) {
      expect(covered, `no golden cases for ${m.id}`).toContain(m.id);
      const faults = dirsIn(path.join(CASES_DIR, m.id)).filter((c) => existsSync(path.join(CASES_DIR, m.id, c, 'expected-fault.json')));
      expect(faults.length, `no fault case for ${m.id}`).toBeGreaterThan(0);
    }
  });

  for (const mappingId of dirsIn(CASES_DIR)) {
    for (const name of dirsIn(path.join(CASES_DIR, mappingId))) {
      const dir = path.join(CASES_DIR, mappingId, name);
      it(`${mappingId} / ${name}`, async () => {
        const out = await runCase(engine, mappingId, dir);
        const callFile = path.join(dir, 'expected-call.json');
        if (existsSync(callFile)) {
          const expected = readJson(callFile) as { key?: string; method: string; path: string; body?: unknown; context?: unknown };
          expect({ method: out.call?.method, path: out.call?.path, body: out.call?.body }).toEqual({
            method: expected.method,
            path: expected.path,
            body: expected.body,
          });
          if ('key' in expected) expect(out.key).toBe(expected.key);
          if ('context' in expected) expect(out.context).toEqual(expected.context);
        } else {
          expect(out.call, 'a call was planned but the case has no expected-call.json').toBeUndefined();
        }
        const replyFile = path.join(dir, 'expected-reply.xml');
        const faultFile = path.join(dir, 'expected-fault.json');
        expect(existsSync(replyFile) !== existsSync(faultFile), 'give exactly one of expected-reply.xml / expected-fault.json').toBe(true);
        if (existsSync(replyFile)) {
          expect(out.fault).toBeUndefined();
          expect(out.replyXml).toBe(readFileSync(replyFile, 'utf8').trim());
        } else {
          expect(out.fault).toEqual(readJson(faultFile));
        }
      });
    }
  }
});
