// loadSoapService: the acme-pos contract compiles (operations, actions, versions) and broken folders are refused
// with every problem listed; the served contract also loads in node-soap's own client.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClientAsync } from 'soap';
import { afterAll, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { loadSoapService } from '../../src/ingress/wsdl-service.js';
import { ACME_DIR, acmeService, echoHandler, startSoapServer, TYPES_NS } from './soap-test-server.js';

const OPERATIONS = ['Sale', 'Refund', 'Cancel', 'GetTransactionStatus', 'Authorize', 'Capture', 'ReleaseAuthorization', 'Tokenize', 'SaleWithToken', 'Credit'];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wsdl-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}
async function problemsOf(dir: string): Promise<string> {
  try {
    await loadSoapService(dir);
  } catch (err) {
    if (isGatewayError(err, 'GW_WSDL_INVALID')) return err.message;
    throw err;
  }
  throw new Error('expected GW_WSDL_INVALID');
}

describe('loadSoapService', () => {
  it('compiles all ten acme-pos operations over SOAP 1.1 and 1.2 with their actions', async () => {
    const s = await acmeService();
    expect(s.name).toBe('AcmePaymentService');
    expect(s.targetNamespace).toBe('http://acme-pos.example.com/payments/2009/');
    expect([...s.versions].sort()).toEqual(['1.1', '1.2']);
    expect([...s.operations.keys()].sort()).toEqual([...OPERATIONS].sort());
    for (const op of s.operations.values()) {
      const action = `http://acme-pos.example.com/payments/2009/${op.name}`;
      expect(op.actions).toEqual({ '1.1': action, '1.2': action });
      expect(op.input).toMatchObject({ name: op.name, ns: TYPES_NS });
      expect(op.output).toMatchObject({ name: `${op.name}Response`, ns: TYPES_NS });
    }
    const items = s.operations.get('Sale')?.input.type;
    const itemsDecl = items?.kind === 'complex' ? items.sequence.find((d) => d.name === 'Items') : undefined;
    const item = itemsDecl?.type.kind === 'complex' ? itemsDecl.type.sequence[0] : undefined;
    expect(item).toMatchObject({ name: 'Item', minOccurs: 0, maxOccurs: Infinity });
  });

  it('disables only the operations a broken type reaches, one warning per operation naming the problem', async () => {
    const wsdl = await readFile(path.join(ACME_DIR, 'AcmePaymentService.wsdl'), 'utf8');
    const xsd = await readFile(path.join(ACME_DIR, 'AcmePaymentTypes.xsd'), 'utf8');
    const dir = await folder({
      'S.wsdl': wsdl,
      'AcmePaymentTypes.xsd': xsd.replace('type="tns:ArrayOfLineItem"', 'type="tns:ArrayOfThings"'),
    });
    const service = await loadSoapService(dir);
    const usesItems = [...service.disabled.keys()].sort();
    expect(usesItems.length).toBeGreaterThan(0);
    expect(usesItems).toContain('Sale');
    expect(service.operations.has('Refund')).toBe(true);
    expect(service.warnings).toHaveLength(usesItems.length);
    for (const w of service.warnings) {
      expect(w).toMatch(/^S\.wsdl: operation \w+ is disabled \(.*type tns:ArrayOfThings is not declared.*\)/);
      expect(w).toContain('GW_OPERATION_NOT_MAPPED');
      expect(w).not.toContain(dir);
    }
  });

  it('ignores a non-SOAP port (an .asmx HTTP GET port) with a warning; a service with no SOAP port at all is refused', async () => {
    const turkpos = path.resolve(import.meta.dirname, '../contracts/turkpos/wsdl/turkpos');
    const service = await loadSoapService(turkpos);
    expect(service.operations.has('TP_Islem_Odeme')).toBe(true);
    expect([...service.versions].sort()).toEqual(['1.1', '1.2']);
    expect(service.warnings).toEqual([expect.stringMatching(
      /^service_turkpos_test\.wsdl: port TurkPos_x0020_WS_x0020_TESTHttpGet: binding TurkPos_x0020_WS_x0020_TESTHttpGet is not a SOAP 1\.1 or 1\.2 binding; it is ignored/,
    )]);
    const wsdl = await readFile(path.join(turkpos, 'service_turkpos_test.wsdl'), 'utf8');
    const onlyHttp = wsdl.replace(/<wsdl:port name="TurkPos_x0020_WS_x0020_TESTSoap(12)?"[\s\S]*?<\/wsdl:port>\s*/g, '');
    expect(onlyHttp).not.toMatch(/soap12?:address/);
    expect(await problemsOf(await folder({ 'T.wsdl': onlyHttp }))).toContain('is not a SOAP 1.1 or 1.2 binding');
  });

  it('refuses remote or path schema locations, DOCTYPEs, missing files and folders without one WSDL', async () => {
    const wsdl = await readFile(path.join(ACME_DIR, 'AcmePaymentService.wsdl'), 'utf8');
    expect(await problemsOf(await folder({ 'S.wsdl': wsdl.replace('schemaLocation="AcmePaymentTypes.xsd"', 'schemaLocation="http://evil.example/x.xsd"') })))
      .toContain('must name an .xsd file in the same folder');
    expect(await problemsOf(await folder({ 'S.wsdl': wsdl.replace('schemaLocation="AcmePaymentTypes.xsd"', 'schemaLocation="../secret.xsd"') })))
      .toContain('must name an .xsd file in the same folder');
    expect(await problemsOf(await folder({ 'S.wsdl': `<!DOCTYPE x [<!ENTITY a "b">]>${wsdl.replace(/^<\?xml[^>]*>/, '')}` }))).toContain('DOCTYPE');
    const missingDir = await folder({ 'S.wsdl': wsdl });
    const missing = await problemsOf(missingDir);
    expect(missing).toContain('AcmePaymentTypes.xsd: cannot be read');
    const emptyDir = await folder({});
    const empty = await problemsOf(emptyDir);
    expect(empty).toContain('exactly one .wsdl file (found 0)');
    // File and folder names only: never the absolute path of the operator's disk.
    expect(missing).not.toContain(missingDir);
    expect(empty).not.toContain(emptyDir);
    expect(`${missing} ${empty}`).not.toContain(tmpdir());
  });
});

describe('the served WSDL in node-soap', () => {
  it('loads through ?wsdl and ?xsd= and calls Sale', async () => {
    const server = await startSoapServer(echoHandler);
    try {
      const client = await createClientAsync(`${server.url}?wsdl`);
      const described = client.describe() as Record<string, Record<string, Record<string, unknown>>>;
      expect(Object.keys(described.AcmePaymentService ?? {}).sort()).toEqual(['AcmePaymentSoap', 'AcmePaymentSoap12']);
      expect(Object.keys(described.AcmePaymentService?.AcmePaymentSoap ?? {}).sort()).toEqual([...OPERATIONS].sort());
      const [result] = (await client.SaleAsync({ TerminalId: '0042', ReceiptNo: 'NS-1', Amount: '9.99', Currency: 'USD' })) as [Record<string, unknown>];
      expect(result).toMatchObject({ Result: 'APPROVED', TransactionId: 'tx-NS-1', Amount: '9.99', Currency: 'USD' });
      expect(server.received[0]?.body).toEqual({ TerminalId: '0042', ReceiptNo: 'NS-1', Amount: '9.99', Currency: 'USD' });
    } finally {
      await server.close();
    }
  });
});
