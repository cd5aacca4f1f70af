// Catalogue errors as the plain-XML error body `<error><code/><message/><requestId/></error>`, sent with the
// catalogue's HTTP status. Only the catalogue message is shown: never a stack, parser text or upstream secrets.
import { toGatewayError, type GatewayError } from '../errors.js';
import { XML_DECLARATION } from './xml-encode.js';
import { escapeText } from './xml-escape.js';

export function encodeXmlError(error: GatewayError, requestId: string): string {
  const err = toGatewayError(error);
  return (
    `${XML_DECLARATION}<error><code>${err.code}</code><message>${escapeText(err.message)}</message>` +
    `<requestId>${escapeText(requestId)}</requestId></error>`
  );
}

/** The media type an XML reply is sent with: the client's own (text/xml or application/xml), UTF-8. */
export function xmlContentType(requestMediaType: string | undefined): string {
  return `${requestMediaType === 'text/xml' ? 'text/xml' : 'application/xml'}; charset=utf-8`;
}
