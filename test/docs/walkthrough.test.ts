// docs/walkthrough.md, run as written: its WSDL scaffolds into the skeleton it shows, its mappings pass check with
// nothing to report, `try` prints what the page prints, and its requests get their replies from the real gateway
// in front of the simulator.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs, type ParsedArgs } from '../../src/cli/args.js';
import type { CliIo } from '../../src/cli/check.js';
import { runScaffold } from '../../src/cli/scaffold.js';
import { runTry } from '../../src/cli/try.js';
import { checkMappings } from '../../src/exchange/map/index.js';
import { loadServices } from '../../src/ingress/wsdl-folders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const page = readFileSync(path.join(REPO, 'docs/walkthrough.md'), 'utf8');
const files = new Map([...page.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)].map((m) => [m[1] as string, `${m[2] as string}\n`]));

/** The first fenced block after `marker`. */
function blockAfter(marker: string): string {
  const at = page.indexOf(marker);
  expect(at, marker).toBeGreaterThan(-1);
  const m = /```\w*\n([\s\S]*?)\n```/.exec(page.slice(at + marker.length));
  return m?.[1] ?? '';
}

function cli(cwd: string): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`), cwd, env: {} }, out: () => out, err: () => err };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'spgw-walk-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function place(name: string, text = files.get(name)): void {
  expect(text, name).toBeDefined();
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), text as string);
}

describe('docs/walkthrough.md', () => {
  it('has the contract, both mappings and the request files', () => {
    expect([...files.keys()].sort()).toEqual(
      ['approved.json', 'mappings/store-terminal/process-sale.yaml', 'mappings/store-terminal/void-sale.yaml', 'sale.xml', 'void.xml', 'wsdl/store-terminal/StoreTerminalService.wsdl'].sort(),
    );
  });

  it('step 2: scaffold writes the skeletons the page shows, and check names each $TODO', async () => {
    place('wsdl/store-terminal/StoreTerminalService.wsdl');
    const run = cli(dir);
    expect(await runScaffold(parseArgs(['scaffold', 'wsdl/store-terminal'].slice(1)) as ParsedArgs, run.io)).toBe(0);
    expect(run.out()).toBe(`${blockAfter('npx sensepass-gateway scaffold wsdl/store-terminal\n```')}\n`);
    const skeleton = readFileSync(path.join(dir, 'mappings/store-terminal/process-sale.yaml'), 'utf8');
    for (const line of blockAfter('every decision\nleft to you is a').split('\n')) {
      if (line === '...' || line === '#   ...') continue;
      expect(skeleton.split('\n'), line).toContain(line);
    }
    const services = await loadServices(path.join(dir, 'wsdl'));
    const { problems } = await checkMappings(path.join(dir, 'mappings'), { knownOperations: services.knownOperations });
    const [, line, col] = /process-sale\.yaml:(\d+):(\d+): key: unknown\s+function \$TODO/.exec(page) ?? [];
    expect(problems).toContainEqual(expect.objectContaining({ line: Number(line), col: Number(col), message: 'key: unknown function $TODO' }));
  });

  it('steps 3–5: the filled mappings pass check with nothing to report, and try prints what the page shows', async () => {
    for (const name of files.keys()) if (!name.startsWith('wsdl/')) place(name);
    const services = await loadServices(path.join(dir, 'wsdl'));
    const { problems, registry } = await checkMappings(path.join(dir, 'mappings'), { knownOperations: services.knownOperations });
    expect(problems).toEqual([]);
    expect(registry?.all().map((m) => m.id).sort()).toEqual(['store-terminal.process-sale', 'store-terminal.void-sale']);
    const run = cli(dir);
    const args = parseArgs(['store-terminal.process-sale', 'sale.xml', 'approved.json']) as ParsedArgs;
    expect(await runTry(args, run.io)).toBe(0);
    expect(run.out()).toBe(`${blockAfter('npx sensepass-gateway try store-terminal.process-sale sale.xml approved.json\n```')}\n`);
  });

  describe('steps 6–7 against the real gateway and simulator', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway({ config: { paths: { wsdl: path.join(dir, 'wsdl'), mappings: path.join(dir, 'mappings') } }, sim: { approveAfterMs: 50 } });
    });
    afterAll(async () => gw?.close());

    const post = async (operation: string, body: string): Promise<Record<string, string>> => {
      const action = new RegExp(`-H 'SOAPAction: "([^"]+/${operation})"'`).exec(page)?.[1];
      expect(action, operation).toBeDefined();
      const res = await fetch(`${gw.url}/soap/store-terminal`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action as string}"` },
        body,
      });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      return Object.fromEntries([...text.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map((m) => [m[1] as string, m[2] as string]));
    };

    it('a sale is approved by the simulator; the same request again is the same payment; the void returns the money', async () => {
      const sale = files.get('sale.xml') as string;
      const first = await post('ProcessSale', sale);
      expect(first).toMatchObject({ Outcome: 'Approved', ResponseCode: '0', DisplayText: 'Approved - thank you' });
      expect(first.PaymentReference).toMatch(/^[0-9a-f]{56}$/);
      expect(first.AuthorizationNumber).toMatch(/^063-/);
      const again = await post('ProcessSale', sale);
      expect(again.PaymentReference).toBe(first.PaymentReference);
      expect((await gw.sim.control.transactions()).filter((t) => t.TransactionNumber === first.PaymentReference)).toHaveLength(1);

      const voided = await post('VoidSale', files.get('void.xml') as string);
      expect(voided).toMatchObject({ Outcome: 'Approved', ResponseCode: '0', DisplayText: 'Sale voided - money returned' });
      const unknown = await post('VoidSale', (files.get('void.xml') as string).replace('000731', '999999'));
      expect(unknown).toMatchObject({ Outcome: 'NotFound', ResponseCode: '40' });
    }, 30_000);

    it('a sale the customer declines answers Declined, code 5', async () => {
      await gw.sim.control.setRules([{ then: 'decline', afterMs: 20 }]);
      try {
        const declined = await post('ProcessSale', (files.get('sale.xml') as string).replace('000731', '000732'));
        expect(declined).toMatchObject({ Outcome: 'Declined', ResponseCode: '5', DisplayText: 'Not paid' });
        const refused = await post('VoidSale', (files.get('void.xml') as string).replace('000731', '000732'));
        expect(refused).toMatchObject({ Outcome: 'Declined', ResponseCode: '41' });
      } finally {
        await gw.sim.control.resetRules();
      }
    }, 30_000);
  });
});
