// Catalogue errors → SOAP faults shaped per version, with the stable code and request id in a gateway-namespaced
// detail. Only the catalogue message is shown: never a stack, parser text or anything from an unknown error.
import { toGatewayError, type GatewayError } from '../errors.js';
import type { SoapVersion } from '../ingress/wsdl-service.js';
import { envelope, envPrefix } from './soap-envelope-xml.js';
import { escapeText } from './xml-escape.js';

/** Namespace of the `<gw:GatewayFault>` detail entry (stable; integrators match `gw:code`). */
export const GW_FAULT_NS = 'urn:sensepass-gateway:fault:1';

/** The SOAP envelope carrying `error` as a Fault for this SOAP version. */
export function encodeSoapFault(error: GatewayError, version: SoapVersion, requestId?: string): string {
  const err = toGatewayError(error);
  const p = envPrefix(version);
  const reason = escapeText(err.message);
  const detail =
    `<gw:GatewayFault xmlns:gw="${GW_FAULT_NS}"><gw:code>${err.code}</gw:code><gw:message>${reason}</gw:message>` +
    (requestId === undefined ? '' : `<gw:requestId>${escapeText(requestId)}</gw:requestId>`) +
    `</gw:GatewayFault>`;
  if (version === '1.1') {
    return envelope(
      version,
      `<${p}:Fault><faultcode>${p}:${faultCode11(err)}</faultcode><faultstring xml:lang="en">${reason}</faultstring>` +
        `<detail>${detail}</detail></${p}:Fault>`,
    );
  }
  // SOAP 1.2: the catalogue code is also a Subcode (a QName in the gateway namespace) for clients that switch on codes.
  return envelope(
    version,
    `<${p}:Fault><${p}:Code><${p}:Value>${p}:${faultCode12(err)}</${p}:Value>` +
      `<${p}:Subcode><${p}:Value xmlns:gwc="${GW_FAULT_NS}">gwc:${err.code}</${p}:Value></${p}:Subcode></${p}:Code>` +
      `<${p}:Reason><${p}:Text xml:lang="en">${reason}</${p}:Text></${p}:Reason>` +
      `<${p}:Detail>${detail}</${p}:Detail></${p}:Fault>`,
  );
}

function faultCode11(err: GatewayError): string {
  if (err.code === 'GW_SOAP_VERSION_MISMATCH') return 'VersionMismatch';
  if (err.code === 'GW_SOAP_MUST_UNDERSTAND') return 'MustUnderstand';
  return err.fault === 'client' ? 'Client' : 'Server';
}

function faultCode12(err: GatewayError): string {
  if (err.code === 'GW_SOAP_VERSION_MISMATCH') return 'VersionMismatch';
  if (err.code === 'GW_SOAP_MUST_UNDERSTAND') return 'MustUnderstand';
  return err.fault === 'client' ? 'Sender' : 'Receiver';
}
