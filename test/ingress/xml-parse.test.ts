// parseXml: limits at their exact boundaries, well-formedness, namespaces, entities, and no parser text in faults.
import { describe, expect, it } from 'vitest';
import { GatewayError, type ErrorCode } from '../../src/errors.js';
import { parseXml } from '../../src/ingress/xml-parse.js';
import type { XmlElement, XmlLimits } from '../../src/ingress/xml-tree.js';

const L: XmlLimits = { maxDepth: 8, maxElements: 20, maxAttributes: 3, maxTextLength: 10 };
const BIG: XmlLimits = { maxDepth: 64, maxElements: 10_000, maxAttributes: 64, maxTextLength: 65_536 };

function codeOf(text: string, limits: XmlLimits = L): ErrorCode | 'ok' {
  try {
    parseXml(text, limits);
    return 'ok';
  } catch (err) {
    if (err instanceof GatewayError) return err.code;
    throw err;
  }
}
const nest = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);

describe('parseXml limits (exact boundaries)', () => {
  it.each([
    ['depth = max', nest(8), 'ok'],
    ['depth = max + 1', nest(9), 'GW_INGRESS_DEPTH_EXCEEDED'],
    ['empty element at depth max + 1', `${'<a>'.repeat(8)}<b/>${'</a>'.repeat(8)}`, 'GW_INGRESS_DEPTH_EXCEEDED'],
    ['elements = max', `<r>${'<e/>'.repeat(19)}</r>`, 'ok'],
    ['elements = max + 1', `<r>${'<e/>'.repeat(20)}</r>`, 'GW_INGRESS_TOO_MANY_ELEMENTS'],
    ['attributes = max', '<r a="1" b="2" c="3"/>', 'ok'],
    ['attributes = max + 1', '<r a="1" b="2" c="3" d="4"/>', 'GW_INGRESS_TOO_MANY_ATTRIBUTES'],
    ['namespace declarations count as attributes', '<r xmlns:a="u" xmlns:b="u" xmlns:c="u" xmlns:d="u"/>', 'GW_INGRESS_TOO_MANY_ATTRIBUTES'],
    ['text = max', '<r>0123456789</r>', 'ok'],
    ['text = max + 1', '<r>0123456789x</r>', 'GW_INGRESS_TEXT_TOO_LONG'],
    ['text counted after decoding references', '<r>&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;</r>', 'ok'],
    ['text split by children is concatenated', '<r>012345<x/>012345</r>', 'GW_INGRESS_TEXT_TOO_LONG'],
    ['CDATA counts as text', '<r><![CDATA[0123456789x]]></r>', 'GW_INGRESS_TEXT_TOO_LONG'],
    ['attribute value over max', '<r a="0123456789x"/>', 'GW_INGRESS_TEXT_TOO_LONG'],
  ])('%s → %s', (_n, text, code) => {
    expect(codeOf(text)).toBe(code);
  });

  it('stops a 10,000-deep document with DEPTH_EXCEEDED, not RangeError', () => {
    expect(codeOf(nest(10_000), BIG)).toBe('GW_INGRESS_DEPTH_EXCEEDED');
    expect(codeOf('<a>'.repeat(100_000), BIG)).toBe('GW_INGRESS_DEPTH_EXCEEDED');
  });
  it('handles a deep but allowed document without recursion trouble', () => {
    const deep: XmlLimits = { ...BIG, maxDepth: 20_000, maxElements: 20_000 };
    let el: XmlElement | undefined = parseXml(nest(15_000), deep);
    let depth = 0;
    while (el !== undefined) {
      depth++;
      el = el.children[0];
    }
    expect(depth).toBe(15_000);
  });
});

describe('parseXml well-formedness', () => {
  it.each([
    ['mismatched tags', '<a><b></a></b>'],
    ['truncated', '<a><b>text</b>'],
    ['two roots', '<a/><b/>'],
    ['text after root', '<a/>junk'],
    ['text before root', 'junk<a/>'],
    ['no root', '<!-- only a comment -->'],
    ['undeclared entity', '<a>&nbsp;</a>'],
    ['bare ampersand', '<a>fish & chips</a>'],
    ['reference to NUL', '<a>&#0;</a>'],
    ['reference to a surrogate', '<a>&#xD800;</a>'],
    ['control character', '<a>\u0007</a>'],
    ['U+FFFF', '<a>\uffff</a>'],
    [']]> in text', '<a>x ]]> y</a>'],
    ['unterminated CDATA', '<a><![CDATA[x</a>'],
    ['-- in comment', '<a><!-- x -- y --></a>'],
    ['unterminated comment', '<a><!-- x </a>'],
    ['< in attribute', '<a b="<"/>'],
    ['unquoted attribute', '<a b=1/>'],
    ['duplicate attribute', '<a b="1" b="2"/>'],
    ['attributes not separated', '<a b="1"c="2"/>'],
    ['boolean attribute', '<a b/>'],
    ['two colons in a name', '<a:b:c xmlns:a="u"/>'],
    ['undeclared element prefix', '<p:a/>'],
    ['undeclared attribute prefix', '<a p:b="1"/>'],
    ['prefix bound to empty URI', '<a xmlns:p=""/>'],
    ['rebinding xml prefix', '<a xmlns:xml="urn:other"/>'],
    ['declaring xmlns', '<a xmlns:xmlns="urn:x"/>'],
    ['duplicate expanded attribute', '<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>'],
    ['XML declaration not first', ' <?xml version="1.0"?><a/>'],
    ['bad XML declaration', '<?xml version="2"?><a/>'],
    ['name starting with a digit', '<1a/>'],
    ['space after <', '< a/>'],
    ['CDATA outside root', '<![CDATA[x]]><a/>'],
  ])('%s → MALFORMED', (_n, text) => {
    expect(codeOf(text, BIG)).toBe('GW_INGRESS_MALFORMED_XML');
  });

  it('keeps parser detail out of the message (only in cause)', () => {
    try {
      parseXml('<a><b></a>', BIG);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).message).toBe('Message is not well-formed XML');
      expect(String((err as GatewayError).cause)).toMatch(/mismatched end tag/);
    }
  });

  it.each([
    ['__proto__ element', '<__proto__/>'],
    ['constructor element with prefix', '<p:constructor xmlns:p="u"/>'],
    ['prototype attribute', '<a prototype="x"/>'],
    ['__proto__ prefix', '<__proto__:a xmlns:__proto__="u"/>'],
  ])('refuses %s as FORBIDDEN_NAME', (_n, text) => {
    expect(codeOf(text, BIG)).toBe('GW_INGRESS_FORBIDDEN_NAME');
  });
  it('refuses DOCTYPE even when handed text directly', () => {
    expect(codeOf('<!DOCTYPE a><a/>', BIG)).toBe('GW_INGRESS_DOCTYPE_FORBIDDEN');
    expect(codeOf('<a/><!doctype b>', BIG)).toBe('GW_INGRESS_DOCTYPE_FORBIDDEN');
  });
});

describe('parseXml tree', () => {
  const soap = `<?xml version="1.0" encoding="utf-8"?>
<!-- leading comment --><?pi ignored?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:default">
  <soap:Body>
    <Sale xmlns:t="urn:types" t:kind="a &amp; b" plain='x&#10;y	z'>
      <t:Amount>12.50</t:Amount>
      <Note>&lt;b&gt; &#x41;&#66; <![CDATA[<raw>&amp;]]><!-- gone --> end</Note>
      <Inner xmlns=""><Local/></Inner>
      <toString/><hasOwnProperty valueOf="1"/>
    </Sale>
  </soap:Body>
</soap:Envelope>`;
  const root = parseXml(soap, BIG);
  const body = root.children[0] as XmlElement;
  const sale = body.children[0] as XmlElement;

  it('resolves scoped namespaces and default namespace', () => {
    expect(root).toMatchObject({ name: 'soap:Envelope', local: 'Envelope', ns: 'http://schemas.xmlsoap.org/soap/envelope/' });
    expect(sale).toMatchObject({ name: 'Sale', local: 'Sale', ns: 'urn:default' });
    expect(sale.children.map((c) => [c.name, c.ns])).toEqual([
      ['t:Amount', 'urn:types'],
      ['Note', 'urn:default'],
      ['Inner', ''],
      ['toString', 'urn:default'],
      ['hasOwnProperty', 'urn:default'],
    ]);
    expect(sale.children[2]?.children[0]?.ns).toBe('');
  });
  it('decodes the predefined entities and character references, keeps CDATA raw, drops comments', () => {
    expect(sale.children[1]?.text).toBe('<b> AB <raw>&amp; end');
    expect(sale.children[0]?.text).toBe('12.50');
  });
  it('keeps attributes by qualified name, normalised and decoded, without xmlns declarations', () => {
    expect({ ...sale.attrs }).toEqual({ 't:kind': 'a & b', plain: 'x\ny z' });
    expect(Object.getPrototypeOf(sale.attrs)).toBeNull();
    expect(sale.children[4]?.attrs.valueOf).toBe('1');
  });
  it('keeps whitespace text untrimmed and normalises line ends', () => {
    const r = parseXml('<a>\r\n x \r</a>', BIG);
    expect(r.text).toBe('\n x \n');
  });
  it('keeps element names fast-xml-parser would rename', () => {
    expect(sale.children[3]?.name).toBe('toString');
  });
});
