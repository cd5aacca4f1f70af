// Small HTTP clients for the authorization tests: the Terminal Agent JSON API, the SensePass SOAP and XML dialects
// and Acme's mapped SOAP, each with an optional Basic identity, over real loopback sockets.
import { expect } from 'vitest';
import { acmeEnvelope, postSoap, type SoapAnswer } from '../support/gateway.js';
import { field, send, type RawAnswer } from '../xml/raw-http.js';

export interface Till {
  /** Terminal Agent call; JSON both ways. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }>;
  /** POST /api-xml/<path> with `<data>fields</data>`. */
  xml(path: string, fields: string, headers?: Record<string, string>): Promise<RawAnswer & { code: string | undefined }>;
  /** POST /api-soap/<path> with `<SensePass>fields</SensePass>` in a SOAP 1.1 envelope. */
  soap(path: string, fields: string, headers?: Record<string, string>): Promise<RawAnswer & { code: string | undefined }>;
  /** A mapped Acme operation (SOAP 1.1 on /soap/acme-pos). */
  acme(operation: string, fields: Readonly<Record<string, string | undefined>>): Promise<SoapAnswer>;
}

export function till(baseUrl: string, user?: { name: string; password: string }): Till {
  const auth: Record<string, string> =
    user === undefined ? {} : { authorization: `Basic ${Buffer.from(`${user.name}:${user.password}`).toString('base64')}` };
  return {
    async api(method, path, body, headers = {}) {
      const r = await send(`${baseUrl}/api/${path}`, {
        method,
        headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: r.status, json: JSON.parse(r.text) as Record<string, unknown> };
    },
    async xml(path, fields, headers = {}) {
      const r = await send(`${baseUrl}/api-xml/${path}`, { headers: { 'content-type': 'application/xml', ...auth, ...headers }, body: `<data>${fields}</data>` });
      return { ...r, code: field(r.text, 'code') };
    },
    async soap(path, fields, headers = {}) {
      const xml =
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
        `<SensePass>${fields}</SensePass></soap:Body></soap:Envelope>`;
      const r = await send(`${baseUrl}/api-soap/${path}`, { headers: { 'content-type': 'text/xml; charset=utf-8', ...auth, ...headers }, body: xml });
      return { ...r, code: /(GW_[A-Z0-9_]+)/.exec(r.text)?.[1] };
    },
    async acme(operation, fields) {
      const res = await fetch(`${baseUrl}/soap/acme-pos`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"http://acme-pos.example.com/payments/2009/${operation}"`, ...auth },
        body: acmeEnvelope(operation, fields),
      });
      const text = await res.text();
      const parsed: Record<string, string> = {};
      for (const m of text.matchAll(/<(?:\w+:)?(\w+)(?: [^>]*)?>([^<]*)<\/(?:\w+:)?\1>/g)) parsed[m[1] as string] ??= m[2] as string;
      return { status: res.status, text, fields: parsed, faultCode: /<(?:\w+:)?code[^>]*>(GW_[A-Z0-9_]+)</.exec(text)?.[1] ?? /(GW_[A-Z0-9_]+)/.exec(text)?.[1] };
    },
  };
}

/** A JSON error answer without its per-request id, to compare two answers byte for byte otherwise. */
export function withoutRequestId(answer: { status: number; json: Record<string, unknown> }): unknown {
  const { requestId: _ignored, ...rest } = answer.json;
  return { status: answer.status, ...rest };
}

/** An XML/SOAP error text with its request id blanked. */
export function blankRequestId(text: string): string {
  return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'REQ');
}

export function expectForbidden(r: { status: number; json: Record<string, unknown> }): void {
  expect(r.status).toBe(403);
  expect(r.json.code).toBe('GW_FORBIDDEN');
  expect(r.json.message).toBe('This request is not allowed for this client');
}

export { postSoap };
