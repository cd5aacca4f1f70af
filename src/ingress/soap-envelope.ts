// SOAP envelope rules: which version a message is (namespace vs. Content-Type), the action it claims,
// the header blocks it carries, and its one body element. Version mix-ups follow the SOAP specs' VersionMismatch.
import { SOAP11_ENV, SOAP12_ENV } from '../egress/soap-envelope-xml.js';
import { gwError, type GatewayError } from '../errors.js';
import type { XmlElement } from './xml-tree.js';
import type { SoapVersion } from './wsdl-service.js';

const ROLE_NONE = 'http://www.w3.org/2003/05/soap-envelope/role/none';

export interface TransportHints {
  /** The Content-Type header as sent (parameters included). */
  readonly contentType?: string;
  /** The SOAPAction header as sent (SOAP 1.1). */
  readonly soapAction?: string;
  /** Header blocks the caller processes itself, as `{ns}local` (e.g. WS-Security); others with mustUnderstand fault. */
  readonly understoodHeaders?: ReadonlySet<string>;
}

export interface OpenedEnvelope {
  readonly version: SoapVersion;
  readonly headers: readonly XmlElement[];
  readonly operationElement: XmlElement;
  /** The action the client claimed ('' or absent = none claimed). */
  readonly action: string | undefined;
}

/** SOAP version implied by the Content-Type; undefined when none was given; GW_INGRESS_CONTENT_TYPE when foreign. */
export function versionFromContentType(contentType: string | undefined): SoapVersion | undefined {
  if (contentType === undefined || contentType.trim() === '') return undefined;
  const media = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (media === 'text/xml') return '1.1';
  if (media === 'application/soap+xml') return '1.2';
  throw gwError('GW_INGRESS_CONTENT_TYPE', { contentType: media.slice(0, 80) });
}

/** The SOAP version a fault must be written in for this error and request. */
export function faultVersionFor(error: GatewayError, contentType: string | undefined): SoapVersion {
  const pinned = error.params.faultVersion;
  if (pinned === '1.1' || pinned === '1.2') return pinned;
  try {
    return versionFromContentType(contentType) ?? '1.1';
  } catch {
    return '1.1';
  }
}

/** Checks the envelope against the transport and the versions the service binds, and opens it. */
export function openEnvelope(root: XmlElement, bound: ReadonlySet<SoapVersion>, hints: TransportHints): OpenedEnvelope {
  const transport = versionFromContentType(hints.contentType);
  if (root.local !== 'Envelope') throw gwError('GW_SOAP_NOT_ENVELOPE');
  const version = root.ns === SOAP11_ENV ? '1.1' : root.ns === SOAP12_ENV ? '1.2' : undefined;
  // SOAP 1.1 §4.4.1 and SOAP 1.2 part 1 appendix A: a node that meets the other version's envelope answers with a
  // SOAP 1.1 VersionMismatch fault (the one format both generations understand); an unknown namespace gets a fault
  // in the version the transport announced.
  if (version === undefined) throw mismatch('unknown envelope namespace', transport ?? '1.1');
  if (transport !== undefined && transport !== version) {
    throw mismatch(`a SOAP ${version} envelope was sent with the SOAP ${transport} content type`, '1.1');
  }
  if (!bound.has(version)) throw mismatch(`this endpoint offers no SOAP ${version} binding`, '1.1');

  const parts = root.children;
  const header = parts.find((c) => c.local === 'Header' && c.ns === root.ns);
  const bodies = parts.filter((c) => c.local === 'Body' && c.ns === root.ns);
  if (bodies.length === 0) throw gwError('GW_SOAP_NOT_ENVELOPE');
  if (bodies.length > 1) throw gwError('GW_INGRESS_DUPLICATE_BODY');
  const body = bodies[0];
  if (body === undefined || body.children.length !== 1 || body.children[0] === undefined) throw gwError('GW_INGRESS_DUPLICATE_BODY');
  const headers = header?.children ?? [];
  checkMustUnderstand(headers, version, hints.understoodHeaders ?? new Set());
  return { version, headers, operationElement: body.children[0], action: claimedAction(version, hints) };
}

function mismatch(detail: string, faultVersion: SoapVersion): GatewayError {
  return gwError('GW_SOAP_VERSION_MISMATCH', { detail, faultVersion });
}

function claimedAction(version: SoapVersion, hints: TransportHints): string | undefined {
  const raw = version === '1.1' ? hints.soapAction : /;\s*action\s*=\s*("([^"]*)"|[^;\s]+)/i.exec(hints.contentType ?? '')?.[1];
  if (raw === undefined) return undefined;
  const value = raw.trim().replace(/^"(.*)"$/, '$1');
  return value === '' ? undefined : value;
}

function checkMustUnderstand(headers: readonly XmlElement[], version: SoapVersion, understood: ReadonlySet<string>): void {
  for (const block of headers) {
    const must = attrByLocal(block, 'mustUnderstand');
    if (must !== '1' && must !== 'true') continue;
    const target = version === '1.1' ? attrByLocal(block, 'actor') : attrByLocal(block, 'role');
    if (target === ROLE_NONE) continue;
    if (!understood.has(`{${block.ns}}${block.local}`)) throw gwError('GW_SOAP_MUST_UNDERSTAND', { header: block.local.slice(0, 64) });
  }
}

function attrByLocal(el: XmlElement, local: string): string | undefined {
  for (const [name, value] of Object.entries(el.attrs)) {
    if (name === local || name.endsWith(`:${local}`)) return value.trim();
  }
  return undefined;
}
