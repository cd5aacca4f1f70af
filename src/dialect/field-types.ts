// The conversion table of the SensePass SOAP/XML dialect: which request elements are JSON arrays, numbers and
// booleans. XML cannot say "a list of one" or "the number 7000", so without this table a one-product cart would
// reach SensePass as an object and every amount as a string (reference §9.3). Everything not listed is a string,
// including the numeric-looking ids (deviceId, branchNumber, pinCode, posIdentifier, phone numbers, zip codes).

export type FieldType =
  | { readonly kind: 'string' }
  | { readonly kind: 'number' }
  | { readonly kind: 'boolean' }
  /** Opaque data (posData, additionalData, agentConfig): nested elements, repeats as arrays, text as strings. */
  | { readonly kind: 'any' }
  | { readonly kind: 'object'; readonly fields: Fields }
  | { readonly kind: 'array'; readonly of: FieldType };

/** Known child fields of an object; a child not listed is converted generically (see `any`). */
export type Fields = Readonly<Record<string, FieldType>>;

const STRING: FieldType = Object.freeze({ kind: 'string' });
const NUMBER: FieldType = Object.freeze({ kind: 'number' });
const BOOLEAN: FieldType = Object.freeze({ kind: 'boolean' });
const ANY: FieldType = Object.freeze({ kind: 'any' });
const object = (fields: Record<string, FieldType>): FieldType => Object.freeze({ kind: 'object', fields: Object.freeze(fields) });
const array = (of: FieldType): FieldType => Object.freeze({ kind: 'array', of });

/** Product Model (reference §7.3); subProducts nest the same model, so the table refers to itself. */
const productFields: Record<string, FieldType> = {
  name: STRING,
  quantity: NUMBER,
  amount: NUMBER,
  discount: NUMBER,
  vat: NUMBER,
  itemNumber: NUMBER,
  posIdentifier: STRING,
};
const PRODUCT: FieldType = Object.freeze({ kind: 'object', fields: productFields });
productFields.subProducts = array(PRODUCT);
Object.freeze(productFields);

/** Metadata Model (§7.9): [{ key, value: [{ sectionLabel, values: [{ label, value }] }] }]. */
const METADATA = object({
  key: STRING,
  value: array(object({ sectionLabel: STRING, values: array(object({ label: STRING, value: STRING })) })),
});

/**
 * The request fields of every SensePass endpoint in one table (reference §6.1–6.18, §7): field names do not clash
 * between endpoints, so one table serves every path, including paths SensePass adds later.
 */
export const REQUEST_FIELDS: Fields = Object.freeze({
  amount: NUMBER,
  isCent: BOOLEAN,
  timeOut: NUMBER,
  maxInstallments: NUMBER,
  installments: NUMBER,
  refundAmount: NUMBER,
  isPartial: BOOLEAN,
  readyForPayment: BOOLEAN,
  products: array(PRODUCT),
  metadata: array(METADATA),
  confirmations: array(object({ installments: NUMBER, confirmationNumberNumeric: NUMBER, paymentMethodCode: NUMBER })),
  receiptNotifications: object({ email: array(STRING), sms: array(STRING) }),
  receipt: object({
    mode: NUMBER,
    accountingProvider: NUMBER,
    receiptInfo: object({ discount: NUMBER, vat: BOOLEAN }),
  }),
  inputs: array(object({ type: STRING, question: STRING, minimumLength: NUMBER })),
  filter: array(ANY),
  pagination: object({ limit: NUMBER, offset: NUMBER }),
  posData: ANY,
  additionalData: ANY,
  agentConfig: ANY,
});

/** The type of a child not named in its parent's table. */
export const UNLISTED: FieldType = ANY;
