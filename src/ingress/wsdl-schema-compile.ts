// Compiles node-soap's parsed XSD objects into the gateway's frozen schema model (wsdl-schema-model.ts).
// node-soap reads the files and resolves imports, but its own typing keeps no minOccurs/maxOccurs/facet semantics
// (numbers-as-strings guesses, a single element never an array), so the element rules are compiled here instead.
import type { ComplexTypeDef, ElementDecl, OpaqueTypeDef, SimpleFacets, SimpleTypeDef, TypeDef } from './wsdl-schema-model.js';
import { builtinType } from './wsdl-simple-types.js';

const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
const IGNORED = new Set(['annotation', 'documentation', 'attribute', 'attributeGroup', 'anyAttribute']);
// Content-model parts searched for a wildcard; element declarations below them have their own content.
const MODEL_GROUPS = new Set(['sequence', 'choice', 'all', 'complexContent', 'extension', 'restriction']);

/** The slice of node-soap's schema objects this compiler reads (attributes appear as `$name`). */
export interface SoapSchemaNode {
  readonly name?: string;
  readonly children?: readonly SoapSchemaNode[];
  readonly xmlns?: Readonly<Record<string, string>>;
  readonly schemaXmlns?: Readonly<Record<string, string>>;
  readonly [attr: `$${string}`]: string | undefined;
}

export interface SoapSchema extends SoapSchemaNode {
  readonly elements: Readonly<Record<string, SoapSchemaNode>>;
  readonly complexTypes: Readonly<Record<string, SoapSchemaNode>>;
  readonly types: Readonly<Record<string, SoapSchemaNode>>;
}

type Scope = Readonly<Record<string, string>>;
interface Ctx {
  readonly tns: string;
  readonly qualified: boolean;
  readonly scope: Scope;
}

export class SchemaCompiler {
  readonly #schemas: Readonly<Record<string, SoapSchema>>;
  readonly #rootXmlns: Scope;
  readonly #problems: string[];
  readonly #types = new Map<string, TypeDef>();
  readonly #elements = new Map<string, ElementDecl>();

  constructor(schemas: Readonly<Record<string, SoapSchema>>, rootXmlns: Scope, problems: string[]) {
    this.#schemas = schemas;
    this.#rootXmlns = rootXmlns;
    this.#problems = problems;
  }

  /** A global element declaration by namespace and local name (undefined + a problem when missing). */
  element(ns: string, name: string): ElementDecl | undefined {
    const key = `{${ns}}${name}`;
    const cached = this.#elements.get(key);
    if (cached !== undefined) return cached;
    const schema = this.#schemas[ns];
    const node = schema?.elements[name];
    if (schema === undefined || node === undefined) {
      this.#problems.push(`element {${ns}}${name} is not declared in any schema`);
      return undefined;
    }
    const decl = this.#element(node, this.#ctx(schema, ns), true);
    if (decl !== undefined) this.#elements.set(key, decl);
    return decl;
  }

  #ctx(schema: SoapSchema, ns: string): Ctx {
    const { __tns__: _ignored, ...own } = schema.xmlns ?? {};
    const scope = { ...this.#rootXmlns, ...schema.schemaXmlns, ...own, __tns__: ns };
    return { tns: ns, qualified: schema.$elementFormDefault === 'qualified', scope };
  }

  #element(node: SoapSchemaNode, outer: Ctx, global: boolean): ElementDecl | undefined {
    const ctx = withScope(outer, node);
    const minOccurs = node.$minOccurs === undefined ? 1 : Number(node.$minOccurs);
    const maxOccurs = node.$maxOccurs === undefined ? 1 : node.$maxOccurs === 'unbounded' ? Infinity : Number(node.$maxOccurs);
    if (node.$ref !== undefined) {
      const [ns, local] = this.#resolve(node.$ref, ctx);
      const target = this.element(ns, local);
      return target === undefined ? undefined : { ...target, minOccurs, maxOccurs };
    }
    const name = node.$name ?? '';
    const where = `element ${name}`;
    const qualified = global || (node.$form ?? (ctx.qualified ? 'qualified' : 'unqualified')) === 'qualified';
    let type: TypeDef | undefined;
    if (node.$type !== undefined) type = this.#namedType(node.$type, ctx, where);
    else {
      const inline = (node.children ?? []).find((c) => c.name === 'complexType' || c.name === 'simpleType');
      // No type at all is xsd:anyType: any content, carried as opaque XML.
      if (inline === undefined) type = opaque(name);
      else type = inline.name === 'complexType' ? this.#complex(inline, ctx, name) : this.#simple(inline, ctx, name);
    }
    if (type === undefined || !Number.isInteger(minOccurs) || Number.isNaN(maxOccurs)) return undefined;
    return { name, ns: qualified ? ctx.tns : '', type, minOccurs, maxOccurs, nillable: node.$nillable === 'true' };
  }

  #namedType(qname: string, ctx: Ctx, where: string): TypeDef | undefined {
    const [ns, local] = this.#resolve(qname, ctx);
    const key = `{${ns}}${local}`;
    const cached = this.#types.get(key);
    if (cached !== undefined) return cached;
    if (ns === XSD_NS && local === 'anyType') return opaque(local);
    if (ns === XSD_NS) return builtinType(local) ?? this.#problem(`${where}: built-in type xsd:${local} is not supported`);
    const schema = this.#schemas[ns];
    const complex = schema?.complexTypes[local];
    const simple = schema?.types[local];
    if (schema !== undefined && complex !== undefined) return this.#complex(complex, this.#ctx(schema, ns), local, key);
    if (schema !== undefined && simple !== undefined) return this.#simple(simple, this.#ctx(schema, ns), local, key);
    // node-soap folds a default namespace into the target namespace, so an unprefixed built-in lands here.
    if (!qname.includes(':')) return builtinType(local) ?? this.#problem(`${where}: type ${qname} is not declared`);
    return this.#problem(`${where}: type ${qname} is not declared`);
  }

  #complex(node: SoapSchemaNode, outer: Ctx, name: string, key?: string): ComplexTypeDef | OpaqueTypeDef {
    const ctx = withScope(outer, node);
    if (this.#hasWildcard(node, ctx)) {
      const def = opaque(name);
      if (key !== undefined) this.#types.set(key, def);
      return def;
    }
    const def: { kind: 'complex'; name: string; sequence: ElementDecl[] } = { kind: 'complex', name, sequence: [] };
    if (key !== undefined) this.#types.set(key, def); // registered before its children so recursive types resolve
    for (const child of node.children ?? []) {
      if (IGNORED.has(child.name ?? '')) continue;
      if (child.name === 'sequence') def.sequence.push(...this.#sequence(child, ctx, name));
      else if (child.name === 'complexContent') def.sequence.push(...this.#complexContent(child, ctx, name));
      else this.#problem(`type ${name}: xsd:${child.name ?? '?'} is not supported (use xsd:sequence)`);
    }
    return def;
  }

  #complexContent(node: SoapSchemaNode, ctx: Ctx, name: string): ElementDecl[] {
    const out: ElementDecl[] = [];
    for (const derivation of node.children ?? []) {
      if (derivation.name === 'extension' && derivation.$base !== undefined) {
        const base = this.#namedType(derivation.$base, ctx, `type ${name}`);
        if (base?.kind === 'complex') out.push(...base.sequence);
        else if (base?.kind === 'opaque') this.#problem(`type ${name}: extending ${derivation.$base}, whose content is xsd:any, is not supported`);
        else if (base !== undefined) this.#problem(`type ${name}: complexContent must extend a complex type`);
      } else if (derivation.name !== 'restriction') continue;
      for (const part of derivation.children ?? []) {
        if (part.name === 'sequence') out.push(...this.#sequence(part, withScope(ctx, derivation), name));
        else if (!IGNORED.has(part.name ?? '')) this.#problem(`type ${name}: xsd:${part.name ?? '?'} is not supported`);
      }
    }
    return out;
  }

  #sequence(node: SoapSchemaNode, ctx: Ctx, owner: string): ElementDecl[] {
    if ((node.$minOccurs ?? '1') !== '1' || (node.$maxOccurs ?? '1') !== '1') {
      this.#problem(`type ${owner}: a repeated or optional xsd:sequence is not supported`);
    }
    const out: ElementDecl[] = [];
    for (const child of node.children ?? []) {
      if (child.name === 'element') {
        const decl = this.#element(child, withScope(ctx, node), false);
        if (decl !== undefined) out.push(decl);
      } else if (child.name === 'sequence') out.push(...this.#sequence(child, withScope(ctx, node), owner));
      else if (!IGNORED.has(child.name ?? '')) this.#problem(`type ${owner}: xsd:${child.name ?? '?'} is not supported`);
    }
    return out;
  }

  #simple(node: SoapSchemaNode, outer: Ctx, name: string, key?: string): SimpleTypeDef | undefined {
    const ctx = withScope(outer, node);
    const restriction = (node.children ?? []).find((c) => c.name === 'restriction');
    if (restriction?.$base === undefined) return this.#problem(`simple type ${name}: only xsd:restriction is supported`);
    const base = this.#namedType(restriction.$base, withScope(ctx, restriction), `simple type ${name}`);
    if (base === undefined) return undefined;
    if (base.kind !== 'simple') return this.#problem(`simple type ${name}: base ${restriction.$base} is not a simple type`);
    const facets = this.#facets(restriction, base.facets, name);
    const def: SimpleTypeDef = Object.freeze({ ...base, name, facets });
    if (key !== undefined) this.#types.set(key, def);
    return def;
  }

  #facets(restriction: SoapSchemaNode, inherited: SimpleFacets, name: string): SimpleFacets {
    const out: Record<string, unknown> = { ...inherited };
    const enumeration: string[] = [];
    const patterns: string[] = [];
    for (const f of restriction.children ?? []) {
      const value = f.$value ?? '';
      if (f.name === 'enumeration') enumeration.push(value);
      else if (f.name === 'pattern') patterns.push(value);
      else if (['length', 'minLength', 'maxLength', 'totalDigits', 'fractionDigits'].includes(f.name ?? '')) out[f.name ?? ''] = Number(value);
      else if (['minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive'].includes(f.name ?? '')) out[f.name ?? ''] = value;
      else if (f.name !== 'whiteSpace' && !IGNORED.has(f.name ?? '')) this.#problem(`simple type ${name}: facet xsd:${f.name ?? '?'} is not supported`);
    }
    if (enumeration.length > 0) out.enumeration = Object.freeze(enumeration);
    if (patterns.length > 0) {
      try {
        // Several patterns in one restriction are alternatives; patterns from base types must all hold.
        const re = new RegExp(`^(?:${patterns.map((p) => `(?:${p})`).join('|')})$`, 'u');
        out.patterns = Object.freeze([...(inherited.patterns ?? []), re]);
      } catch {
        this.#problem(`simple type ${name}: pattern cannot be compiled (XSD-only regex syntax such as \\i or \\c is not supported)`);
      }
    }
    return Object.freeze(out) as SimpleFacets;
  }

  /** xsd:any, or a reference to xsd:schema (a .NET DataSet), anywhere in the type's own content model. */
  #hasWildcard(node: SoapSchemaNode, ctx: Ctx): boolean {
    for (const child of node.children ?? []) {
      if (child.name === 'any') return true;
      if (child.name === 'element' && child.$ref !== undefined) {
        const i = child.$ref.indexOf(':');
        const ns = i < 0 ? undefined : withScope(ctx, child).scope[child.$ref.slice(0, i)];
        if (ns === XSD_NS && child.$ref.slice(i + 1) === 'schema') return true;
      }
      if (MODEL_GROUPS.has(child.name ?? '') && this.#hasWildcard(child, withScope(ctx, child))) return true;
    }
    return false;
  }

  #resolve(qname: string, ctx: Ctx): [string, string] {
    const i = qname.indexOf(':');
    if (i < 0) return [ctx.scope.__tns__ ?? ctx.tns, qname];
    const prefix = qname.slice(0, i);
    const ns = ctx.scope[prefix];
    if (ns === undefined) this.#problem(`prefix "${prefix}" in ${qname} is not declared`);
    return [ns ?? '', qname.slice(i + 1)];
  }

  #problem(text: string): undefined {
    if (!this.#problems.includes(text)) this.#problems.push(text);
    return undefined;
  }
}

function opaque(name: string): OpaqueTypeDef {
  return Object.freeze({ kind: 'opaque', name });
}

function withScope(ctx: Ctx, node: SoapSchemaNode): Ctx {
  if (node.xmlns === undefined) return ctx;
  const { __tns__: _ignored, ...own } = node.xmlns;
  return Object.keys(own).length === 0 ? ctx : { ...ctx, scope: { ...ctx.scope, ...own } };
}
