// The SOAP 1.1 / 1.2 envelope around a body, and the media type each version is sent with.
import type { SoapVersion } from '../ingress/wsdl-service.js';

export const SOAP11_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENV = 'http://www.w3.org/2003/05/soap-envelope';

/** Envelope prefix per version: `soap` (1.1) and `soap12` (1.2). */
export function envPrefix(version: SoapVersion): string {
  return version === '1.1' ? 'soap' : 'soap12';
}

export function envelope(version: SoapVersion, body: string, header = ''): string {
  const p = envPrefix(version);
  const ns = version === '1.1' ? SOAP11_ENV : SOAP12_ENV;
  const head = header === '' ? '' : `<${p}:Header>${header}</${p}:Header>`;
  return `<?xml version="1.0" encoding="utf-8"?><${p}:Envelope xmlns:${p}="${ns}">${head}<${p}:Body>${body}</${p}:Body></${p}:Envelope>`;
}

export function soapContentType(version: SoapVersion): string {
  return version === '1.1' ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8';
}
