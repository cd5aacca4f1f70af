// The compiled schema the SOAP path types values with: element declarations, sequences and simple types,
// built once at start-up from the WSDL/XSD and frozen (see wsdl-schema-compile.ts).

/** XSD built-in simple types the gateway understands, grouped by how a value is represented in JS. */
export type ValueKind = 'string' | 'integer' | 'decimal' | 'float' | 'boolean';

export interface SimpleFacets {
  readonly enumeration?: readonly string[];
  readonly patterns?: readonly RegExp[];
  readonly length?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly totalDigits?: number;
  readonly fractionDigits?: number;
  /** Inclusive/exclusive bounds as decimal strings (compared without floats). */
  readonly minInclusive?: string;
  readonly maxInclusive?: string;
  readonly minExclusive?: string;
  readonly maxExclusive?: string;
}

export interface SimpleTypeDef {
  readonly kind: 'simple';
  /** Display name, e.g. "Money" or "int". */
  readonly name: string;
  /** The XSD built-in at the root of the restriction chain, e.g. "decimal". */
  readonly builtin: string;
  readonly valueKind: ValueKind;
  /** Whether the built-in collapses whitespace (everything except string and normalizedString). */
  readonly collapse: boolean;
  readonly facets: SimpleFacets;
}

export interface ComplexTypeDef {
  readonly kind: 'complex';
  readonly name: string;
  /** Child elements in schema order (xsd:sequence, extension bases first). */
  readonly sequence: readonly ElementDecl[];
}

/**
 * Content the gateway carries as opaque XML text instead of typing it: a complex type whose content model holds
 * xsd:any (or a .NET DataSet's `<s:element ref="s:schema"/><s:any/>`). Mappings read it with $parseXml and write it
 * as a well-formed XML string; egress checks it parses before it is written.
 */
export interface OpaqueTypeDef {
  readonly kind: 'opaque';
  readonly name: string;
}

export type TypeDef = SimpleTypeDef | ComplexTypeDef | OpaqueTypeDef;

export interface ElementDecl {
  readonly name: string;
  /** Namespace URI of the element ('' when unqualified). */
  readonly ns: string;
  readonly type: TypeDef;
  readonly minOccurs: number;
  /** Infinity for "unbounded"; any value > 1 makes the value an array. */
  readonly maxOccurs: number;
  readonly nillable: boolean;
}

export function isRepeated(decl: ElementDecl): boolean {
  return decl.maxOccurs > 1;
}

export function qualifiedKey(ns: string, local: string): string {
  return `{${ns}}${local}`;
}
