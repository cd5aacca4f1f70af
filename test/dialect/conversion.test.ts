// The dialect conversion tables both ways: XML elements → the JSON SensePass expects (arrays of one, typed numbers
// and booleans, numeric-looking ids kept as strings) and JSON answers → XML.
import { describe, expect, it } from 'vitest';
import { REQUEST_FIELDS } from '../../src/dialect/field-types.js';
import { elementToJson } from '../../src/dialect/xml-to-json.js';
import { xmlElement, xmlName } from '../../src/egress/xml-encode.js';
import { isGatewayError } from '../../src/errors.js';
import { DEFAULT_XML_LIMITS } from '../../src/route/xml-document.js';
import { parseXml } from '../../src/ingress/xml-parse.js';

const convert = (inner: string) => elementToJson(parseXml(`<data>${inner}</data>`, DEFAULT_XML_LIMITS), REQUEST_FIELDS);
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isGatewayError(err) ? `${err.code} ${err.message}` : 'not a gateway error';
  }
};

describe('dialect XML → SensePass JSON', () => {
  it('makes the known list fields arrays even with one item, at every depth', () => {
    const json = convert(
      '<products><name>A</name><quantity>1</quantity><amount>5</amount><subProducts><name>B</name><quantity>2</quantity><amount>1</amount></subProducts></products>' +
        '<receiptNotifications><email>a@example.com</email><sms>9295522135</sms></receiptNotifications>' +
        '<metadata><key>genericDisplay</key><value><sectionLabel>S</sectionLabel><values><label>Foo</label><value>1</value></values></value></metadata>' +
        '<inputs><type>phone</type><minimumLength>10</minimumLength><question>Q</question></inputs>' +
        '<filter><accountId>1000635</accountId><operator>!=</operator></filter>',
    );
    expect(json).toEqual({
      products: [{ name: 'A', quantity: 1, amount: 5, subProducts: [{ name: 'B', quantity: 2, amount: 1 }] }],
      receiptNotifications: { email: ['a@example.com'], sms: ['9295522135'] },
      metadata: [{ key: 'genericDisplay', value: [{ sectionLabel: 'S', values: [{ label: 'Foo', value: '1' }] }] }],
      inputs: [{ type: 'phone', minimumLength: 10, question: 'Q' }],
      filter: [{ accountId: '1000635', operator: '!=' }],
    });
  });

  it('types numbers and booleans from the table and keeps numeric-looking ids as strings', () => {
    expect(
      convert(
        '<amount> 7000 </amount><isCent>1</isCent><isPartial>false</isPartial><refundAmount>12.5</refundAmount><timeOut>500</timeOut>' +
          '<branchNumber>03</branchNumber><pinCode>111-222-333</pinCode><deviceId>0042</deviceId><transactionNumber>00ab</transactionNumber>' +
          '<receipt><mode>1</mode><receiptInfo><zipCode>09231</zipCode><discount>0</discount><vat>true</vat></receiptInfo></receipt>' +
          '<pagination><limit>40</limit><offset>0</offset></pagination>',
      ),
    ).toEqual({
      amount: 7000, isCent: true, isPartial: false, refundAmount: 12.5, timeOut: 500,
      branchNumber: '03', pinCode: '111-222-333', deviceId: '0042', transactionNumber: '00ab',
      receipt: { mode: 1, receiptInfo: { zipCode: '09231', discount: 0, vat: true } },
      pagination: { limit: 40, offset: 0 },
    });
  });

  it('converts opaque and unknown fields generically: repeats are arrays, leaves are strings', () => {
    expect(convert('<posData><order>007</order><tag>a</tag><tag>b</tag></posData><futureField>1</futureField><futureList>x</futureList><futureList>y</futureList>')).toEqual({
      posData: { order: '007', tag: ['a', 'b'] },
      futureField: '1',
      futureList: ['x', 'y'],
    });
  });

  it('leaves an empty number out, and refuses text that is not the declared type', () => {
    expect(convert('<amount/><currency>USD</currency>')).toEqual({ currency: 'USD' });
    expect(codeOf(() => convert('<amount>1e3</amount>'))).toBe('GW_DIALECT_BAD_VALUE Element amount must be a number (digits, optional "." decimals)');
    expect(codeOf(() => convert('<amount>9007199254740993</amount>'))).toMatch(/^GW_DIALECT_BAD_VALUE/);
    expect(codeOf(() => convert('<products><quantity>two</quantity></products>'))).toMatch(/Element products\.quantity must be a number/);
    expect(codeOf(() => convert('<isCent>yes</isCent>'))).toBe('GW_DIALECT_BAD_VALUE Element isCent must be true or false');
    expect(codeOf(() => convert('<amount>1</amount><amount>2</amount>'))).toBe('GW_DIALECT_BAD_VALUE Element amount must be a single element');
    expect(codeOf(() => convert('<receipt>text</receipt>'))).toMatch(/Element receipt must be an element with child elements/);
  });
});

describe('SensePass JSON → XML', () => {
  it('repeats arrays, nests objects, writes numbers and booleans as text, null as an empty element', () => {
    expect(xmlElement('root', { amount: '70', status: 0, ok: true, reason: null, none: undefined, products: [{ name: 'A&B' }, { name: '<C>' }], empty: [] })).toBe(
      '<root><amount>70</amount><status>0</status><ok>true</ok><reason/><products><name>A&amp;B</name></products><products><name>&lt;C&gt;</name></products></root>',
    );
  });

  it('turns JSON keys that are not XML names into element names', () => {
    expect(xmlName('Credit Card')).toBe('Credit_Card');
    expect(xmlName('3ds')).toBe('_3ds');
    expect(xmlName('')).toBe('_');
    expect(xmlElement('x', { 'HMAC-Key': 'v' })).toBe('<x><HMAC-Key>v</HMAC-Key></x>');
  });
});
