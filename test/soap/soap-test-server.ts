// Test harness: the SOAP router for wsdl/acme-pos on a real loopback server (port 0) with a scripted handler.
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express from 'express';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../src/log.js';
import { loadSoapService, type SoapService } from '../../src/ingress/wsdl-service.js';
import type { InboundMessage, MessageHandler } from '../../src/route/message.js';
import { createSoapRouter, type SoapLimits } from '../../src/route/soap-router.js';

export const ACME_DIR = fileURLToPath(new URL('../../wsdl/acme-pos/', import.meta.url));
export const TYPES_NS = 'http://acme-pos.example.com/payments/2009/types';
export const LIMITS: SoapLimits = {
  maxBodyBytes: 65_536, bodyTimeoutMs: 5_000, maxDepth: 64, maxElements: 10_000, maxAttributes: 64, maxTextLength: 65_536,
};

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly service: SoapService;
  /** Every message the handler received, in order. */
  readonly received: InboundMessage[];
  close(): Promise<void>;
}

let cached: Promise<SoapService> | undefined;
export function acmeService(): Promise<SoapService> {
  cached ??= loadSoapService(ACME_DIR);
  return cached;
}

export async function startSoapServer(handler: MessageHandler, options: { publicUrl?: string } = {}): Promise<TestServer> {
  const service = await acmeService();
  const received: InboundMessage[] = [];
  const app = express();
  app.use(
    createSoapRouter({
      endpoint: 'acme-pos',
      service,
      limits: LIMITS,
      logger: createLogger({ level: 'silent' }),
      publicUrl: options.publicUrl,
      handler: (message) => {
        received.push(message);
        return handler(message);
      },
    }),
  );
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/soap/acme-pos`,
    port,
    service,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Echo handler: answers each operation from its own request values, so round trips can be asserted. */
export const echoHandler: MessageHandler = async (m) => {
  const b = m.body as Record<string, unknown>;
  const base = { Result: 'APPROVED', ResultCode: 0, Message: `${m.operation} via ${m.protocol}` };
  switch (m.operation) {
    case 'Sale':
      return {
        kind: 'reply',
        value: {
          // Deliberately out of schema order: egress must order by the XSD sequence.
          CardLast4: '4242', Amount: b.Amount, Currency: b.Currency, AuthCode: 'A-0042',
          TransactionId: `tx-${String(b.ReceiptNo)}`, ...base,
          Message: `items=${Array.isArray((b.Items as Record<string, unknown> | undefined)?.Item) ? ((b.Items as { Item: unknown[] }).Item.length) : 'none'}`,
        },
      };
    case 'Refund':
      return { kind: 'reply', value: { ...base, RefundReference: `rf-${String(b.OriginalReceiptNo)}`, Amount: b.Amount } };
    case 'GetTransactionStatus':
      return { kind: 'reply', value: { ...base, TransactionId: `tx-${String(b.ReceiptNo)}`, Status: 'APPROVED', Amount: '12.50', Currency: 'USD' } };
    default:
      return { kind: 'reply', value: base };
  }
};

/** A SOAP envelope around `inner` for the given version. */
export function envelope(version: '1.1' | '1.2', inner: string): string {
  const ns = version === '1.1' ? 'http://schemas.xmlsoap.org/soap/envelope/' : 'http://www.w3.org/2003/05/soap-envelope';
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${ns}"><s:Body>${inner}</s:Body></s:Envelope>`;
}

export function saleXml(fields: string): string {
  return `<Sale xmlns="${TYPES_NS}">${fields}</Sale>`;
}

export const SALE_FIELDS =
  '<TerminalId>0042</TerminalId><ReceiptNo>R-1001</ReceiptNo><Amount>12.50</Amount><Currency>USD</Currency>' +
  '<Items><Item><Sku>0001</Sku><Name>Coffee &amp; cake</Name><Quantity>2</Quantity><UnitPrice>6.25</UnitPrice></Item></Items>';

export async function post(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

export function soap11Headers(action: string): Record<string, string> {
  return { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"http://acme-pos.example.com/payments/2009/${action}"` };
}

export function soap12Headers(action?: string): Record<string, string> {
  const a = action === undefined ? '' : `; action="http://acme-pos.example.com/payments/2009/${action}"`;
  return { 'Content-Type': `application/soap+xml; charset=utf-8${a}` };
}
