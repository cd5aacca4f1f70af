// GET /transactions/commitPayment/:n — the commitLink (reference §6.13): no credentials, no headers.
import type { Router } from 'express';
import type { Engine } from '../engine.js';
import { transactionNumberParam } from './input.js';

export function commitRoutes(router: Router, engine: Engine): void {
  router.get('/transactions/commitPayment/:n', (req, res) => {
    const tx = engine.get(transactionNumberParam(req));
    const { alreadyCommitted } = engine.commit(tx);
    // [GAP] the real answer body is undocumented; this one says what happened, and a repeat is harmless.
    res.json({
      success: true,
      status: 200,
      status_message: alreadyCommitted ? 'Payment Was Already Committed' : 'Payment Committed',
      TransactionNumber: tx.number,
      isPaymentCommitted: true,
    });
  });
}
