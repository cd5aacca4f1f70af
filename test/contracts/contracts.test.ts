// Issue 13: every third-party contract under test/contracts/<name>/ is served byte-for-byte as published (only the
// service address differs), loads with its mappings, and passes its golden cases (same format as test/cases/).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, runCase, type Engine } from '../cases/run-case.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const ROOT = import.meta.dirname;
const dirsIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isDirectory()).sort() : []);
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8')) as unknown;
const CONTRACTS = dirsIn(ROOT);
// The address a WSDL declares: soap:address / soap12:address (any prefix) location.
const ADDRESS = /(<(?:[A-Za-z_][\w.-]*:)?address\b[^>]*?\blocation\s*=\s*)(["'])[^"']*\2/g;

it('holds at least one third-party contract, each with its SOURCE.md', () => {
  expect(CONTRACTS.length).toBeGreaterThan(0);
  for (const name of CONTRACTS) expect(existsSync(path.join(ROOT, name, 'SOURCE.md')), name).toBe(true);
});

for (const name of CONTRACTS) {
  const dir = path.join(ROOT, name);
  const wsdlDir = path.join(dir, 'wsdl', name);
  const wsdlFile = readdirSync(wsdlDir).find((f) => f.toLowerCase().endsWith('.wsdl')) ?? '';

  describe(`contract ${name}`, () => {
    let gw: TestGateway;
    let engine: Engine;
    beforeAll(async () => {
      engine = await loadEngine(dir);
      gw = await startTestGateway({ config: { paths: { wsdl: path.join(dir, 'wsdl'), mappings: path.join(dir, 'mappings') } } });
    });
    afterAll(async () => {
      await gw?.close();
    });

    it('is served unchanged apart from the service address', async () => {
      const url = `${gw.url}/soap/${name}`;
      const res = await fetch(`${url}?wsdl`);
      expect(res.status).toBe(200);
      const served = Buffer.from(await res.arrayBuffer());
      const original = readFileSync(path.join(wsdlDir, wsdlFile));
      const originalText = original.toString('utf8');
      expect(originalText.match(ADDRESS)?.length ?? 0).toBeGreaterThan(0);
      const expected = Buffer.from(originalText.replace(ADDRESS, (_m, prefix: string, quote: string) => `${prefix}${quote}${url}${quote}`), 'utf8');
      expect(served.equals(expected)).toBe(true);
      // Nothing else moved: the same length once the addresses are put back.
      expect(served.toString('utf8').replace(ADDRESS, '$1$2$2')).toBe(originalText.replace(ADDRESS, '$1$2$2'));
    });

    it('loads with no WSDL error and every mapping answering an offered operation', () => {
      expect(engine.services.problems).toEqual([]);
      expect(engine.registry.all().length).toBeGreaterThan(0);
    });

    for (const mappingId of dirsIn(path.join(dir, 'cases'))) {
      for (const caseName of dirsIn(path.join(dir, 'cases', mappingId))) {
        const caseDir = path.join(dir, 'cases', mappingId, caseName);
        it(`golden case ${mappingId} / ${caseName}`, async () => {
          const out = await runCase(engine, mappingId, caseDir);
          const callFile = path.join(caseDir, 'expected-call.json');
          if (existsSync(callFile)) {
            const expected = readJson(callFile) as { key?: string; method: string; path: string; body?: unknown; context?: unknown };
            expect({ method: out.call?.method, path: out.call?.path, body: out.call?.body }).toEqual({ method: expected.method, path: expected.path, body: expected.body });
            if ('key' in expected) expect(out.key).toBe(expected.key);
            if ('context' in expected) expect(out.context).toEqual(expected.context);
          } else {
            expect(out.call).toBeUndefined();
          }
          const replyFile = path.join(caseDir, 'expected-reply.xml');
          const faultFile = path.join(caseDir, 'expected-fault.json');
          expect(existsSync(replyFile) !== existsSync(faultFile)).toBe(true);
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
}
