// Issue 13, WSDL breadth: an .asmx-shaped contract with a DataSet reply, an xsd:choice operation the gateway cannot
// type, an unmapped operation, credentials in the body and XML documents inside string elements — served unchanged,
// the unsupported operation disabled alone (one warning), the others working end to end against the simulator.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { runCheck } from '../../src/cli/check.js';
import { loadServices } from '../../src/ingress/wsdl-folders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/till');
const WSDL_FILE = path.join(FIXTURE, 'wsdl/till/Till.wsdl');
const PASSWORD = 'till-secret-Pa55';
const TILL_DEVICE = 'device0till9abcdefghijklmnopqrstuvwxyz0123456789';

let gw: TestGateway;
let url: string;
beforeAll(async () => {
  gw = await startTestGateway({
    logLevel: 'debug',
    config: {
      paths: { wsdl: path.join(FIXTURE, 'wsdl'), mappings: path.join(FIXTURE, 'mappings') },
      log: { captureMessages: true },
      clients: { 'till-9': { password: PASSWORD, sensepass: { deviceId: TILL_DEVICE } } },
      endpoints: { till: { auth: ['none'], bodyCredentials: { user: 'Credentials.Login', password: 'Credentials.Passcode' } } },
    },
  });
  url = `${gw.url}/soap/till`;
  await gw.sim.control.registerDevice({ deviceId: TILL_DEVICE });
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 20 }]);
});
afterAll(async () => {
  await gw?.close();
});

function envelope(op: string, inner: string): string {
  return '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<soap:Body><${op} xmlns="http://till.example/">${inner}</${op}></soap:Body></soap:Envelope>`;
}
async function post(op: string, inner: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"http://till.example/${op}"` },
    body: envelope(op, inner),
  });
  return { status: res.status, text: await res.text() };
}
const esc = (xml: string) => xml.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const basket = (total: string) => esc(`<Basket xmlns="urn:till:basket"><Total>${total}</Total><Currency>USD</Currency></Basket>`);
const pay = (receipt: string, user?: string, password?: string) => post('Pay',
  (user === undefined ? '' : `<Credentials><Login>${user}</Login><Passcode><![CDATA[${password ?? ''}]]></Passcode></Credentials>`) +
  `<Receipt>${receipt}</Receipt><Basket>${basket('7.25')}</Basket>`);

describe('a contract with one unsupported operation', () => {
  it('loads: the choice and the RPC operation alone are disabled, one warning each naming operation, construct and what to do', async () => {
    const services = await loadServices(path.join(FIXTURE, 'wsdl'));
    expect(services.problems).toEqual([]);
    const till = services.byFolder.get('till');
    expect([...(till?.operations.keys() ?? [])].sort()).toEqual(['GetReport', 'Pay', 'Ping']);
    expect([...(till?.disabled.keys() ?? [])].sort()).toEqual(['Legacy', 'Lookup']);
    expect(services.warnings).toHaveLength(2);
    const lookup = services.warnings.find((w) => w.includes('operation Lookup'));
    expect(lookup).toMatch(/^till\/Till\.wsdl: operation Lookup is disabled \(type Lookup: xsd:choice is not supported/);
    const legacy = services.warnings.find((w) => w.includes('operation Legacy'));
    expect(legacy).toMatch(/^till\/Till\.wsdl: operation Legacy is disabled \(RPC style: only document\/literal \(wrapped\) operations are served/);
    for (const w of services.warnings) {
      expect(w).toContain('GW_OPERATION_NOT_MAPPED');
      expect(w).not.toContain(FIXTURE);
      expect(w.split('is disabled').length).toBe(2); // said once, not repeated
    }
    expect(gw.logText()).toContain('operation Lookup is disabled');
  });

  it('check lists the disabled and the unmapped operations as warnings and still passes', async () => {
    const out: string[] = [];
    const args = parseArgs(['check', '--wsdl', path.join(FIXTURE, 'wsdl'), '--mappings', path.join(FIXTURE, 'mappings')]);
    if ('error' in args) throw new Error(args.error);
    const code = await runCheck(args, {
      out: (l) => out.push(l), err: (l) => out.push(l), cwd: FIXTURE, env: {},
    });
    const text = out.join('\n');
    expect(code).toBe(0);
    expect(text).toContain('operation Lookup is disabled');
    expect(text).toContain('operation Legacy is disabled');
    expect(text).toMatch(/till: 1 operation\(s\) of Till have no mapping and answer GW_OPERATION_NOT_MAPPED: Ping/);
    expect(text).not.toContain(FIXTURE);
  });

  it('serves the WSDL byte for byte apart from the address', async () => {
    const served = await (await fetch(`${url}?wsdl`)).text();
    const original = await readFile(WSDL_FILE, 'utf8');
    expect(served).toBe(original.replace('http://till.example/Till.asmx', url));
  });

  it('answers the disabled and the unmapped operation with GW_OPERATION_NOT_MAPPED', async () => {
    const lookup = await post('Lookup', '<ByReceipt>R1</ByReceipt>');
    expect(lookup.status).toBe(500);
    expect(lookup.text).toContain('GW_OPERATION_NOT_MAPPED');
    expect(lookup.text).toContain('Operation Lookup is in the WSDL but this gateway does not answer it');
    const ping = await post('Ping', '');
    expect(ping.text).toContain('GW_OPERATION_NOT_MAPPED');
    expect(ping.text).toContain('Operation Ping is in the WSDL');
  });

  it('answers a DataSet operation with the mapping-built XML inside the result element', async () => {
    const res = await post('GetReport', '<Day>2026-11-29</Day>');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<GetReportResult><Report xmlns="urn:till:report"><Row><Day>2026-11-29</Day><Count>2</Count></Row>');
  });
});

describe('identity from body credentials and XML inside strings', () => {
  it('right password: the payment runs as that client (its SensePass device), reading the basket XML and writing the slip XML', async () => {
    const res = await pay('R-100', 'till-9', PASSWORD);
    expect(res.text).toContain('<Status>');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Status>APPROVED</Status>');
    // The slip is an escaped XML document inside a string element.
    expect(res.text).toContain('<Slip>&lt;Slip xmlns="urn:till:slip"&gt;&lt;Receipt&gt;R-100&lt;/Receipt&gt;&lt;Amount&gt;7.25&lt;/Amount&gt;&lt;Note&gt;Tom &amp;amp; Jerry &amp;lt;3&lt;/Note&gt;&lt;/Slip&gt;</Slip>');
    const list = await gw.sim.control.transactions();
    expect(list).toHaveLength(1);
    const tx = await gw.sim.control.transaction(list[0]?.TransactionNumber ?? '');
    // The mapping sees the user but not the password: it was taken out of the request before any mapping ran.
    expect(tx.entity.posData).toMatchObject({ receipt: 'R-100', operator: 'till-9', credentialFields: 'Login' });
    expect(tx.entity.amount).toBe('7.25');
    expect(list[0]?.deviceId).toBe(TILL_DEVICE);
  });

  it('wrong password: the same auth fault as other methods, and the password never reaches a log line', async () => {
    const res = await pay('R-101', 'till-9', 'not-the-password');
    expect(res.status).toBe(500);
    expect(res.text).toContain('GW_AUTH_FAILED');
    const unknown = await pay('R-102', 'nobody', PASSWORD);
    expect(unknown.text).toContain('GW_AUTH_FAILED');
    const logs = gw.logText();
    expect(logs).toContain('soap request (captured)');
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain('not-the-password');
  });

  it('refuses an XML document with a DOCTYPE inside a string with a clear client fault', async () => {
    const evil = esc('<!DOCTYPE x [<!ENTITY a "b">]><Basket><Total>&a;</Total></Basket>');
    const res = await post('Pay', `<Receipt>R-103</Receipt><Basket>${evil}</Basket>`);
    expect(res.text).toContain('GW_MAP_XML_INVALID');
    expect(res.text).toContain('a DOCTYPE is not allowed');
  });

  it('counts wrong body passwords with the same failure limiter (last: it locks this address out)', async () => {
    let last = '';
    for (let i = 0; i < 12; i++) last = (await pay(`R-2${i}`, 'till-9', `wrong-${i}`)).text;
    expect(last).toContain('GW_AUTH_RATE_LIMITED');
    // Locked out even with the right password now, as with Basic and WS-Security.
    expect((await pay('R-300', 'till-9', PASSWORD)).text).toContain('GW_AUTH_RATE_LIMITED');
  });
});
