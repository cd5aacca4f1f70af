// Issue 3 acceptance: Python zeep (a SOAP client no one here wrote) loads the WSDL from the running gateway and
// performs Sale, Refund and GetTransactionStatus against the gateway and the simulator, over SOAP 1.1 and 1.2.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeEnvelope, postSoap, startTestGateway, type TestGateway } from '../support/gateway.js';

const SCRIPT = fileURLToPath(new URL('../zeep/acme_pos_client.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

type Fields = Record<string, unknown>;
interface ZeepRun {
  error?: string;
  mismatches: unknown[];
  soap11: Record<string, Fields>;
  soap12: Record<string, Fields>;
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 50 }]);
});
afterAll(async () => {
  await gw.close();
});

describe('zeep against the full gateway and the simulator', () => {
  it('Sale is APPROVED with its final data, GetTransactionStatus finds it by receipt, Refund refunds part of it', async () => {
    const args = [SCRIPT, `${gw.soapUrl}?wsdl`, '--receipt-prefix', 'ZG-0042', '--terminal', '0042', '--amount', '12.50',
      '--refund-amount', '2.50', '--fault-receipt', 'NEVER-SEEN'];
    const { stdout } = await promisify(execFile)(PYTHON, args, { encoding: 'utf8', timeout: 90_000 });
    const run = JSON.parse(stdout) as ZeepRun;
    expect(run.error).toBeUndefined();
    for (const label of ['soap11', 'soap12'] as const) {
      const r = run[label] as Record<string, Fields>;
      const tn = r.Sale?.TransactionId as string;
      expect(r.Sale).toMatchObject({ Result: 'APPROVED', ResultCode: 0, Amount: '12.50', Currency: 'USD' });
      expect(tn).toMatch(/^[0-9a-f]{56}$/);
      const sim = await gw.sim.control.transaction(tn);
      expect(r.Sale?.AuthCode).toBe(sim.entity.confirmations?.[0]?.confirmationNumber);
      expect(sim.entity.posData).toMatchObject({ terminal: '0042', receipt: `ZG-0042-${label}` });
      expect(r.GetTransactionStatus).toMatchObject({ Result: 'APPROVED', TransactionId: tn });
      expect(r.Refund).toMatchObject({ Result: 'APPROVED', Amount: '2.50' });
      expect((await gw.sim.control.transaction(tn)).entity.status).toBe(13); // partially refunded
      // An unknown receipt is a NOT_FOUND reply in the Acme contract, not a SOAP fault.
      expect(r.Fault).toEqual({ faultCode: null });
    }
    expect((await gw.sim.control.stats()).initCalls).toBe(2);
    const notFound = await postSoap(gw.soapUrl, 'GetTransactionStatus', acmeEnvelope('GetTransactionStatus', { TerminalId: '0042', ReceiptNo: 'NEVER-SEEN' }));
    expect(notFound.fields).toMatchObject({ Result: 'NOT_FOUND', ResultCode: '91' });
  });
});
