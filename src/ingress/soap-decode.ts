// A SOAP request → (operation, schema-typed body, version): envelope checked, operation found from the body
// element's qualified name, the claimed action checked against it, the body typed by the WSDL's schema.
import { gwError } from '../errors.js';
import type { XmlElement, XmlLimits } from './xml-tree.js';
import { openEnvelope, type TransportHints } from './soap-envelope.js';
import { parseXml } from './xml-parse.js';
import { typeElement } from './soap-typing.js';
import { qualifiedKey } from './wsdl-schema-model.js';
import type { SoapService, SoapVersion } from './wsdl-service.js';

export interface DecodeHints extends TransportHints {
  /** Parser limits; the configuration defaults when absent. */
  readonly limits?: XmlLimits;
}

export interface DecodedSoapRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  readonly version: SoapVersion;
  /** SOAP header blocks as parsed (e.g. for WS-Security). */
  readonly headers: readonly XmlElement[];
}

const DEFAULT_LIMITS: XmlLimits = { maxDepth: 64, maxElements: 10_000, maxAttributes: 64, maxTextLength: 65_536 };

/** Parses and decodes a SOAP request text; throws catalogue errors (GW_INGRESS_*, GW_SOAP_*, GW_ROUTE_*, GW_SCHEMA_*). */
export function decodeSoapRequest(service: SoapService, xml: string, hints: DecodeHints = {}): DecodedSoapRequest {
  return decodeSoapEnvelope(service, parseXml(xml, hints.limits ?? DEFAULT_LIMITS), hints);
}

/**
 * Same as decodeSoapRequest for an already parsed document. `onOperation` learns the operation and version as soon
 * as they are known, before the body is typed, so a schema violation can still be answered in the contract's shape.
 */
export function decodeSoapEnvelope(
  service: SoapService, root: XmlElement, hints: TransportHints = {}, onOperation?: (operation: string, version: SoapVersion) => void,
): DecodedSoapRequest {
  const envelope = openEnvelope(root, service.versions, hints);
  const el = envelope.operationElement;
  const op = service.byRequestElement.get(qualifiedKey(el.ns, el.local));
  const disabled = op === undefined ? service.disabledByRequestElement.get(qualifiedKey(el.ns, el.local)) : undefined;
  // Offered by the WSDL but disabled at load (an unsupported construct): a clear fault, not "not offered".
  if (disabled !== undefined) throw gwError('GW_OPERATION_NOT_MAPPED', { operation: disabled.name });
  const bound = op?.actions[envelope.version];
  if (op === undefined || bound === undefined) {
    throw gwError('GW_ROUTE_UNKNOWN_OPERATION', { operation: el.local.slice(0, 64) });
  }
  // An empty SOAPAction ("") means "see the body" (SOAP 1.1 §6.1.1); only a claimed, declared action is compared.
  if (envelope.action !== undefined && bound !== '' && envelope.action !== bound) throw gwError('GW_SOAP_ACTION_MISMATCH');
  onOperation?.(op.name, envelope.version);
  const body = typeElement(op.input, el, op.input.name) as Record<string, unknown>;
  return { operation: op.name, body, version: envelope.version, headers: envelope.headers };
}
