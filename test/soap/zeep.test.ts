// Interoperability with a real third-party SOAP client: Python zeep (Debian python3-zeep) loads the served WSDL and
// calls Sale, Refund and GetTransactionStatus over SOAP 1.1 and SOAP 1.2 against the endpoint with a test handler.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gwError } from '../../src/errors.js';
import { echoHandler, startSoapServer, type TestServer } from './soap-test-server.js';

const SCRIPT = fileURLToPath(new URL('../zeep/acme_pos_client.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

interface OpResult extends Record<string, unknown> {
  _contentType: string;
}
interface ZeepRun {
  operations: string[];
  mismatches: unknown[];
  soap11: Record<string, OpResult>;
  soap12: Record<string, OpResult>;
}

describe('Python zeep against the SOAP endpoint', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startSoapServer(async (m) =>
      m.operation === 'GetTransactionStatus' && m.body.ReceiptNo === 'UNKNOWN-RECEIPT'
        ? { kind: 'fault', error: gwError('GW_MAP_ORIGINAL_NOT_FOUND', { reference: 'UNKNOWN-RECEIPT' }) }
        : echoHandler(m),
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it('calls Sale, Refund and GetTransactionStatus over both bindings and reads a fault', async () => {
    const args = [SCRIPT, `${server.url}?wsdl`, '--receipt-prefix', 'Z-0042', '--amount', '12.50', '--refund-amount', '2.50',
      '--fault-receipt', 'UNKNOWN-RECEIPT', '--expect', 'soap11.Sale.Result=APPROVED', '--expect', 'soap12.Refund.Amount=2.50'];
    const { stdout } = await promisify(execFile)(PYTHON, args, { encoding: 'utf8', timeout: 60_000 });
    const run = JSON.parse(stdout) as ZeepRun;
    expect(run.mismatches).toEqual([]);
    expect(run.operations).toHaveLength(10);
    for (const [label, protocol, contentType] of [['soap11', 'soap11', 'text/xml'], ['soap12', 'soap12', 'application/soap+xml']] as const) {
      const r = run[label];
      const receipt = `Z-0042-${label}`;
      expect(r.Sale).toMatchObject({ Result: 'APPROVED', ResultCode: 0, TransactionId: `tx-${receipt}`, Amount: '12.50', Currency: 'USD', Message: 'items=1' });
      expect(r.Refund).toMatchObject({ Result: 'APPROVED', RefundReference: `rf-${receipt}`, Amount: '2.50' });
      expect(r.GetTransactionStatus).toMatchObject({ Status: 'APPROVED', TransactionId: `tx-${receipt}`, Message: `GetTransactionStatus via ${protocol}` });
      expect(r.Sale?._contentType.startsWith(contentType)).toBe(true);
      expect(r.Fault).toMatchObject({ gwCode: 'GW_MAP_ORIGINAL_NOT_FOUND', message: 'No earlier transaction matches UNKNOWN-RECEIPT' });
    }
    expect(run.soap11.Fault?.faultCode).toBe('soap:Client');
    expect(run.soap12.Fault?.faultCode).toBe('soap12:Sender');
    // What the gateway handed to the exchange: zeep's single Item arrives as an array, "0042" as a string.
    const sale = server.received.find((m) => m.operation === 'Sale' && m.protocol === 'soap12');
    expect(sale?.body).toEqual({
      TerminalId: '0042', ReceiptNo: 'Z-0042-soap12', Amount: '12.50', Currency: 'USD',
      Items: { Item: [{ Sku: '0042', Name: 'Espresso', Quantity: 2, UnitPrice: '6.25' }] },
    });
  });
});
