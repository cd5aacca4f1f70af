// $parseXml / $xml: XML documents inside string elements, read with the ingress guards and written escaped.
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { buildXmlText, parseXmlText } from '../../src/exchange/map/xml-text.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isGatewayError(err) ? `${err.code}: ${err.message}` : 'not a catalogue error';
  }
  return undefined;
}

describe('$parseXml', () => {
  it('reads elements by local name, repeats as arrays, attributes as @name; values stay strings', () => {
    const doc = '<r:RStream xmlns:r="urn:r"><r:CmdResponse><r:CmdStatus>Approved</r:CmdStatus></r:CmdResponse>' +
      '<Line no="1">A</Line><Line no="2">B</Line><Amount>0012.50</Amount></r:RStream>';
    expect(parseXmlText(doc)).toEqual({
      RStream: {
        CmdResponse: { CmdStatus: 'Approved' },
        Line: [{ '@no': '1', '#text': 'A' }, { '@no': '2', '#text': 'B' }],
        Amount: '0012.50',
      },
    });
    expect(parseXmlText(undefined)).toBeUndefined();
    expect(parseXmlText('  ')).toBeUndefined();
  });

  it('refuses DOCTYPEs, undeclared prefixes, broken XML and documents beyond the ingress limits', () => {
    expect(codeOf(() => parseXmlText('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'))).toMatch(/^GW_MAP_XML_INVALID: .*DOCTYPE/);
    expect(codeOf(() => parseXmlText('<p:a>1</p:a>'))).toMatch(/^GW_MAP_XML_INVALID/);
    expect(codeOf(() => parseXmlText('<a><b></a>'))).toMatch(/^GW_MAP_XML_INVALID: .*not well-formed/);
    expect(codeOf(() => parseXmlText(`${'<a>'.repeat(70)}${'</a>'.repeat(70)}`))).toMatch(/^GW_MAP_XML_INVALID: .*nested too deeply/);
    expect(codeOf(() => parseXmlText(42))).toMatch(/^GW_MAP_XML_INVALID/);
  });
});

describe('$xml', () => {
  it('writes escaped, well-formed XML with an optional default namespace, and round-trips through $parseXml', () => {
    const text = buildXmlText({ Invoice: 'A&B <1>', Item: [{ Sku: 'x' }, { Sku: 'y' }], Empty: null }, 'TStream', 'urn:t');
    expect(text).toBe('<TStream xmlns="urn:t"><Invoice>A&amp;B &lt;1&gt;</Invoice><Item><Sku>x</Sku></Item><Item><Sku>y</Sku></Item><Empty/></TStream>');
    expect(parseXmlText(text)).toEqual({ TStream: { Invoice: 'A&B <1>', Item: [{ Sku: 'x' }, { Sku: 'y' }], Empty: '' } });
    expect(buildXmlText(undefined, 'X')).toBeUndefined();
  });

  it('refuses a root name that is not an XML name', () => {
    expect(codeOf(() => buildXmlText({}, 'a b'))).toMatch(/^GW_MAP_XML_BUILD_FAILED/);
    expect(codeOf(() => buildXmlText({}, '<x>'))).toMatch(/^GW_MAP_XML_BUILD_FAILED/);
  });
});
