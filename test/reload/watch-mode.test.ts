// Watch mode over real files and the real gateway on loopback: an edited mapping changes the next reply without a
// restart, a broken edit keeps the previous mapping and lists its problems, running exchanges keep their mapping,
// and the simulator's payments are untouched by a reload.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchContracts, type ContractWatcher, type ReloadOutcome } from '../../src/reload/watch-contracts.js';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('watch mode', () => {
  let dir: string;
  let saleFile: string;
  let gw: TestGateway;
  let watcher: ContractWatcher;
  const outcomes: ReloadOutcome[] = [];
  let notify: (() => void) | undefined;

  /** Resolves with the first reload attempt that ends after this call. */
  const nextReload = (): Promise<ReloadOutcome> => {
    const seen = outcomes.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reload within 10 s')), 10_000);
      notify = () => {
        if (outcomes.length <= seen) return;
        clearTimeout(timer);
        notify = undefined;
        resolve(outcomes[seen] as ReloadOutcome);
      };
    });
  };
  /** Rewrites sale.yaml in one write, each [from, to] replaced once. */
  const edit = (...changes: Array<[string, string]>): void => {
    let text = readFileSync(saleFile, 'utf8');
    for (const [from, to] of changes) {
      expect(text).toContain(from);
      text = text.replace(from, to);
    }
    writeFileSync(saleFile, text);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'spgw-watch-'));
    cpSync(path.join(ROOT, 'mappings'), path.join(dir, 'mappings'), { recursive: true });
    cpSync(path.join(ROOT, 'wsdl'), path.join(dir, 'wsdl'), { recursive: true });
    saleFile = path.join(dir, 'mappings', 'acme-pos', 'sale.yaml');
    gw = await startTestGateway({
      config: { paths: { mappings: path.join(dir, 'mappings'), wsdl: path.join(dir, 'wsdl') } },
      sim: { approveAfterMs: 50 },
    });
    watcher = watchContracts({
      config: gw.config,
      gateway: gw.gateway,
      logger: gw.gateway.context.logger,
      base: dir,
      debounceMs: 100,
      onReload: (o) => {
        outcomes.push(o);
        notify?.();
      },
    });
  });
  afterAll(async () => {
    watcher?.close();
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an edited mapping changes the next reply, with no restart, and the simulator keeps its payments', async () => {
    const before = await postSoap(gw.soapUrl, 'Sale', sale('W-1'));
    expect(before.fields.Result).toBe('APPROVED');
    expect(before.fields.Message).toBe('Approved');
    const firstPayment = before.fields.TransactionId as string;

    const { context } = gw.gateway;
    const compiledBefore = context.mappings.byId('acme-pos.sale');
    const generationBefore = context.contracts.current().generation;
    const reloaded = nextReload();
    edit(["'APPROVED': 'Approved'", "'APPROVED': 'Approved, thank you'"]);
    expect((await reloaded).kind).toBe('swapped');
    // Whoever holds the gateway's registry (the exchange, the app context) now reads the new set.
    expect(context.contracts.current().generation).toBe(generationBefore + 1);
    expect(context.mappings.byId('acme-pos.sale')).toBeDefined();
    expect(context.mappings.byId('acme-pos.sale')).not.toBe(compiledBefore);

    const after = await postSoap(gw.soapUrl, 'Sale', sale('W-2'));
    expect(after.fields.Result).toBe('APPROVED');
    expect(after.fields.Message).toBe('Approved, thank you');
    // Same simulator, never restarted: the payment made before the reload is still there, still approved.
    const known = await gw.sim.control.transactions();
    expect(known.find((t) => t.TransactionNumber === firstPayment)?.status).toBe(5);
    // The journal too: the first sale's retry gets its stored outcome (rendered with the mapping now current).
    const again = await postSoap(gw.soapUrl, 'Sale', sale('W-1'));
    expect(again.fields.TransactionId).toBe(firstPayment);
    expect(known.length).toBe((await gw.sim.control.transactions()).length);
  }, 30_000);

  it('a broken edit keeps the previous mapping and logs every problem with a relative file:line:col', async () => {
    const refused = nextReload();
    edit(['await: {', 'awiat: {'], ['amount: "$cents(Amount, Currency)"\n    isCent', 'amount: "Amount"\n    isCent']);
    const last = await refused;
    expect(last.kind).toBe('refused');
    if (last.kind !== 'refused') return;
    expect(last.code).toBe('GW_MAPPING_INVALID');
    expect(last.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mappings\/acme-pos\/sale\.yaml:\d+:\d+: error: mapping: unknown key "awiat" \(did you mean "await"\?\)/),
        expect.stringMatching(/^mappings\/acme-pos\/sale\.yaml:\d+:\d+: error: call\.body\.amount: a money field must be converted with \$cents/),
      ]),
    );
    for (const p of last.problems) expect(p).not.toContain(dir);
    const log = gw.logText();
    expect(log).toContain('reload refused');
    expect(log).toMatch(/mappings\/acme-pos\/sale\.yaml:\d+:\d+: error: mapping: unknown key \\"awiat\\"/);

    const reply = await postSoap(gw.soapUrl, 'Sale', sale('W-3'));
    expect(reply.fields.Result).toBe('APPROVED');
    expect(reply.fields.Message).toBe('Approved, thank you'); // the last mapping that passed, not the broken one

    const fixed = nextReload();
    edit(['awiat: {', 'await: {'], ['amount: "Amount"\n    isCent', 'amount: "$cents(Amount, Currency)"\n    isCent']);
    expect((await fixed).kind).toBe('swapped');
  }, 30_000);

  it('an exchange already running finishes with the mapping it started with', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    try {
      const pending = postSoap(gw.soapUrl, 'Sale', sale('W-4'));
      const number = await waitForPending(gw);
      const reloaded = nextReload();
      edit(["'APPROVED': 'Approved, thank you'", "'APPROVED': 'Approved (third edit)'"]);
      expect((await reloaded).kind).toBe('swapped');
      await gw.sim.control.approve(number);
      const reply = await pending;
      expect(reply.fields.Result).toBe('APPROVED');
      expect(reply.fields.Message).toBe('Approved, thank you');
    } finally {
      await gw.sim.control.resetRules();
    }
    const next = await postSoap(gw.soapUrl, 'Sale', sale('W-5'));
    expect(next.fields.Message).toBe('Approved (third edit)');
  }, 30_000);

  it('a broken WSDL refuses the reload too, and the endpoint keeps answering with the previous contract', async () => {
    const wsdlFile = path.join(dir, 'wsdl', 'acme-pos', 'AcmePaymentService.wsdl');
    const original = readFileSync(wsdlFile, 'utf8');
    const refused = nextReload();
    writeFileSync(wsdlFile, original.replace('<wsdl:service', '<wsdl:servce'));
    const outcome = await refused;
    expect(outcome.kind).toBe('refused');
    if (outcome.kind === 'refused') {
      expect(outcome.code).toBe('GW_WSDL_INVALID');
      for (const p of outcome.problems) expect(p).not.toContain(dir);
    }
    expect((await fetch(`${gw.soapUrl}?wsdl`)).status).toBe(200);
    expect((await postSoap(gw.soapUrl, 'Sale', sale('W-6'))).fields.Result).toBe('APPROVED');
    const restored = nextReload();
    writeFileSync(wsdlFile, original);
    expect((await restored).kind).toBe('swapped');
  }, 30_000);

  it('a new WSDL folder becomes a new endpoint, and a removed one stops answering', async () => {
    const staging = mkdtempSync(path.join(tmpdir(), 'spgw-watch-stage-'));
    try {
      // Another POS system: its own folder and wsdl:service name (mappings answer a service by name).
      cpSync(path.join(dir, 'wsdl', 'acme-pos'), path.join(staging, 'wsdl'), { recursive: true });
      const wsdlCopy = path.join(staging, 'wsdl', 'AcmePaymentService.wsdl');
      writeFileSync(wsdlCopy, readFileSync(wsdlCopy, 'utf8').replace('<wsdl:service name="AcmePaymentService">', '<wsdl:service name="LaneTwoService">'));
      mkdirSync(path.join(staging, 'mappings'));
      const laneTwo = readFileSync(saleFile, 'utf8').replace('id: acme-pos.sale', 'id: lane-two.sale').replace('service: AcmePaymentService', 'service: LaneTwoService');
      writeFileSync(path.join(staging, 'mappings', 'sale.yaml'), laneTwo);
      // Each folder appears at once (a rename); the WSDL first, since a mapping for an unknown service is refused.
      renameSync(path.join(staging, 'wsdl'), path.join(dir, 'wsdl', 'lane-two'));
      renameSync(path.join(staging, 'mappings'), path.join(dir, 'mappings', 'lane-two'));
      const url = `${gw.url}/soap/lane-two`;
      const reply = await eventually(async () => await postSoap(url, 'Sale', sale('L2-1')), (r) => r.fields.Result === 'APPROVED');
      expect(reply.text).toContain('Approved (third edit)');

      rmSync(path.join(dir, 'mappings', 'lane-two'), { recursive: true });
      rmSync(path.join(dir, 'wsdl', 'lane-two'), { recursive: true });
      const gone = await eventually(async () => (await fetch(`${url}?wsdl`)).status, (s) => s === 404);
      expect(gone).toBe(404);
      expect((await postSoap(gw.soapUrl, 'Sale', sale('L2-2'))).fields.Result).toBe('APPROVED');
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }, 30_000);
});

/** Polls `read` until `done` holds (a reload lands within a second or two), or fails after 10 s. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForPending(gw: TestGateway): Promise<string> {
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    const pending = (await gw.sim.control.transactions()).find((t) => t.status < 5);
    if (pending !== undefined) return pending.TransactionNumber;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no pending payment in the simulator');
}
