// GET ?wsdl and ?xsd=<name>: the service's documents with addresses pointing where the client reached us
// (server.publicUrl behind a proxy, else the validated Host header), so generated clients call the right place.
import type { Request } from 'express';
import { gwError } from '../errors.js';
import { renderDocument } from '../ingress/wsdl-documents.js';
import type { SoapService } from '../ingress/wsdl-service.js';

// name[:port] (letters, digits, '-', '_', '.') or [ipv6][:port]: nothing that could break out of an attribute.
const HOST_RE = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

export type DocumentRequest = { readonly kind: 'wsdl' } | { readonly kind: 'xsd'; readonly name: string } | { readonly kind: 'none' };

/** Which document a GET asks for (`?wsdl`, `?WSDL`, `?xsd=<name>`). */
export function documentRequest(req: Request): DocumentRequest {
  const params = new URL(req.originalUrl, 'http://localhost').searchParams;
  for (const [key, value] of params) {
    const k = key.toLowerCase();
    if (k === 'wsdl' || k === 'singlewsdl') return { kind: 'wsdl' };
    if (k === 'xsd') return { kind: 'xsd', name: value };
  }
  return { kind: 'none' };
}

/** The endpoint URL to write into documents for this request; GW_INGRESS_BAD_HOST for an invalid Host. */
export function endpointUrl(req: Request, path: string, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return `${publicUrl.replace(/\/+$/, '')}${path}`;
  const host = req.headers.host ?? '';
  if (host.length > 255 || !HOST_RE.test(host)) throw gwError('GW_INGRESS_BAD_HOST');
  return `${req.protocol === 'https' ? 'https' : 'http'}://${host}${path}`;
}

/** The rendered document, or GW_ROUTE_NOT_FOUND for an unknown schema name. */
export function renderRequested(service: SoapService, which: Exclude<DocumentRequest, { kind: 'none' }>, baseUrl: string): string {
  if (which.kind === 'wsdl') return renderDocument(service.documents.wsdl, baseUrl);
  const template = service.documents.xsd.get(which.name);
  if (template === undefined) throw gwError('GW_ROUTE_NOT_FOUND');
  return renderDocument(template, baseUrl);
}
