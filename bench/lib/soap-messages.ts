// The Acme POS requests the benchmarks send (docs/acme-pos.md): a Sale with a unique receipt number, and a
// GetTransactionStatus for a receipt that does not exist (the gateway's no-upstream path).

export const ACME_PATH = '/soap/acme-pos';
const TYPES_NS = 'http://acme-pos.example.com/payments/2009/types';
const ACTION_BASE = 'http://acme-pos.example.com/payments/2009/';

/** No content-length: node:http and fetch add it, and autocannon breaks on a second one. */
export function soapHeaders(operation: string): Record<string, string> {
  return { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${ACTION_BASE}${operation}"` };
}

function envelope(inner: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="${TYPES_NS}"><soap:Body>${inner}</soap:Body></soap:Envelope>`;
}

/** Amount in cents → "12.34"; integer arithmetic only. */
export function centsToDecimal(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

export function saleXml(terminal: string, receipt: string, amountCents: number): string {
  return envelope(
    `<t:Sale><t:TerminalId>${terminal}</t:TerminalId><t:ReceiptNo>${receipt}</t:ReceiptNo><t:Amount>${centsToDecimal(amountCents)}</t:Amount><t:Currency>USD</t:Currency></t:Sale>`,
  );
}

export function statusXml(terminal: string, receipt: string): string {
  return envelope(`<t:GetTransactionStatus><t:TerminalId>${terminal}</t:TerminalId><t:ReceiptNo>${receipt}</t:ReceiptNo></t:GetTransactionStatus>`);
}

export interface SaleReply {
  readonly result: string | undefined;
  readonly transactionId: string | undefined;
  readonly amount: string | undefined;
  readonly authCode: string | undefined;
}

/** Reads the few fields the benchmarks check from a SaleResponse (the gateway writes a default namespace). */
export function readSaleReply(xml: string): SaleReply {
  const field = (name: string): string | undefined => new RegExp(`<(?:\\w+:)?${name}>([^<]*)</`).exec(xml)?.[1];
  return { result: field('Result'), transactionId: field('TransactionId'), amount: field('Amount'), authCode: field('AuthCode') };
}
