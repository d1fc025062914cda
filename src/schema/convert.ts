/** Walks TypeScript type nodes (through the checker) into structural schemas, applying JSDoc tags. @module */
import { relative } from "node:path";
import type { Node, TypeNode, InterfaceDeclaration, TypeAliasDeclaration, EnumDeclaration, PropertySignature, TypeElementTypes, ExpressionWithTypeArguments } from "ts-morph";
import { builtinSchema } from "./builtins.js";
import type { SchemaErrorCode } from "./codes.js";
import type { Diagnostics, SourcePos } from "./diagnostics.js";
import { parseJsDoc, type ParsedDoc, type RawTag } from "./jsdoc.js";
import type { JSONSchemaProps, ValidationRule } from "./json-schema.js";
import { mergeOverlay } from "./merge.js";
import { isTsopTypesFile, LIB_FILE, type TsMorph } from "./program.js";
import { checkTagNames, checkValues, tagFlags, tagOverlay, celName, type TagSet, type TagSite } from "./tags.js";
import { intersectionOf, unionOf } from "./unions.js";
import { WIRE_TYPES } from "./tag-table.js";
import { PRECISION_HINT, precisionProblem } from "./numbers.js";

/** Template literal types with at most this many strings become an enum; larger ones are refused. */
const MAX_TEMPLATE_ENUM = 64;

interface Binding { node: TypeNode; env: Env }
/** A member of an object type; `optional` overrides the declaration's `?` (for Partial<X> bases). */
interface Member { node: TypeElementTypes; env: Env; optional?: boolean }
type Env = ReadonlyMap<string, Binding>;
const EMPTY: Env = new Map();

/** Conversion hints a field's tags give its type. */
interface Hints { intOrString?: boolean; preserve?: boolean; embedded?: boolean; inUnion?: boolean }

/** A declaration's doc and checked tags. */
export interface DeclDoc { description: string; tags: RawTag[]; set: TagSet }

/** Options for a converter. */
export interface ConverterOptions {
  tsm: TsMorph;
  projectDir: string;
  diags: Diagnostics;
  /** Path of this tsop's types file. */
  ownTypes: string;
}

/** Converts the types of one project; create one per run. */
export class SchemaConverter {
  private readonly stack: Node[] = [];
  /** Absolute paths of the files whose declarations were used since the last reset (for caching). */
  readonly touched = new Set<string>();
  constructor(private readonly o: ConverterOptions) {}

  /** Source position of a node for error messages. */
  pos(node: Node, at = node.getStart()): SourcePos {
    const sf = node.getSourceFile();
    return { file: relative(this.o.projectDir, sf.getFilePath()) || sf.getFilePath(), text: sf.getFullText(), pos: at };
  }

  /** The last JSDoc of a declaration, parsed, with tag names checked for `site`. */
  doc(decl: Node, site: TagSite): DeclDoc {
    const sf = decl.getSourceFile();
    const set: TagSet = { tags: [], file: this.pos(decl).file, text: sf.getFullText() };
    const docs = this.o.tsm.Node.isJSDocable(decl) ? decl.getJsDocs() : [];
    const last = docs[docs.length - 1];
    let parsed: ParsedDoc = { description: "", tags: [] };
    if (last) parsed = parseJsDoc(last.getText(), last.getStart());
    set.tags = parsed.tags;
    return { description: parsed.description, tags: checkTagNames(set, site, this.o.diags), set };
  }

  private err(code: SchemaErrorCode, message: string, node: Node, hint?: string): JSONSchemaProps {
    this.o.diags.error(code, message, this.pos(node), hint);
    return {};
  }

  /** The object schema of an interface's members (no type-level tags), for the resource root. */
  interfaceObject(decl: InterfaceDeclaration, env: Env = EMPTY, hints: Hints = {}): JSONSchemaProps {
    const members: Member[] = [];
    this.collectMembers(decl, env, members);
    return this.objectOf(members, decl, hints);
  }

  private collectMembers(decl: InterfaceDeclaration, env: Env, out: Member[]): void {
    for (const h of decl.getExtends()) this.collectHeritage(h, env, out);
    for (const m of decl.getMembers()) out.push({ node: m, env });
  }

  private collectHeritage(h: ExpressionWithTypeArguments, env: Env, out: Member[]): void {
    const sym = this.resolveSymbol(h.getExpression());
    const base = sym?.getDeclarations().find((d) => this.o.tsm.Node.isInterfaceDeclaration(d));
    if (!base && h.getType().isObject()) {
      // A mapped or aliased object type (Partial<X>, type Base = {...}): its resolved properties.
      for (const p of h.getType().getProperties()) {
        const d = p.getDeclarations()[0];
        if (d && this.o.tsm.Node.isPropertySignature(d)) out.push({ node: d, env: EMPTY, optional: p.isOptional() });
      }
      return;
    }
    if (!base || !this.o.tsm.Node.isInterfaceDeclaration(base)) {
      this.err("unsupported-type", `cannot extend ${h.getText()}: only interfaces can be extended in a schema type`, h);
      return;
    }
    this.touched.add(base.getSourceFile().getFilePath());
    this.collectMembers(base, this.bind(base, h.getTypeArguments(), env), out);
  }

  private objectOf(members: Member[], owner: Node, hints: Hints = {}): JSONSchemaProps {
    const tsm = this.o.tsm;
    const props = new Map<string, { schema: JSONSchemaProps; required: boolean; rules: ValidationRule[] }>();
    let additional: JSONSchemaProps | undefined;
    for (const m of members) {
      const { node, env } = m;
      if (tsm.Node.isPropertySignature(node)) {
        props.set(propName(tsm, node), this.field(node, env, m.optional));
      } else if (tsm.Node.isIndexSignatureDeclaration(node)) {
        const kt = node.getKeyTypeNode();
        if (kt.getKind() !== tsm.SyntaxKind.StringKeyword) this.err("unsupported-type", "index signature keys must be string", kt, "use [key: string]: T");
        const rt = node.getReturnTypeNode();
        const free = rt && (rt.getKind() === tsm.SyntaxKind.UnknownKeyword || rt.getKind() === tsm.SyntaxKind.AnyKeyword);
        if (free && (hints.preserve || hints.embedded)) continue;
        additional = rt ? this.convert(rt, env, {}) : this.err("unsupported-type", "index signature without a type", node);
      } else {
        this.err("unsupported-type", "methods and call signatures cannot be part of a schema type", node, "declare data properties only; move behaviour to functions");
      }
    }
    const out: JSONSchemaProps = { type: "object" };
    if (props.size) {
      out.properties = {};
      for (const [k, p] of [...props.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out.properties[k] = p.schema;
      const req = [...props.entries()].filter(([, p]) => p.required).map(([k]) => k).sort();
      if (req.length) out.required = req;
      const rules = [...props.values()].flatMap((p) => p.rules);
      if (rules.length) out["x-kubernetes-validations"] = rules;
    }
    if (additional) {
      if (props.size) this.err("structural", "an object cannot have both named properties and an index signature", owner, "move the free-form entries into their own Record<string, T> field");
      else out.additionalProperties = additional;
    }
    return out;
  }

  /** One property: its type's schema with the field's doc and tags laid over. */
  private field(prop: PropertySignature, env: Env, optionalOverride?: boolean): { schema: JSONSchemaProps; required: boolean; rules: ValidationRule[] } {
    const d = this.doc(prop, "field");
    const flags = tagFlags(d.tags);
    const optional = optionalOverride ?? prop.hasQuestionToken();
    const name = propName(this.o.tsm, prop);
    const at = (t: RawTag): SourcePos => ({ file: d.set.file, text: d.set.text, pos: t.pos });
    if (flags.required && optional) this.o.diags.error("required-optional", `@required on optional field "${name}"`, at(flags.required), `remove the ? to make "${name}" required`);
    if (flags.optional && !optional) this.o.diags.error("required-optional", `@optional on required field "${name}"`, at(flags.optional), `write ${name}?: to make it optional`);
    const tn = prop.getTypeNode();
    let base: JSONSchemaProps;
    const wire = wireTypeOf(d.tags);
    if (flags.schemaless) base = {};
    else if (wire) base = { type: wire };
    else if (!tn) base = this.err("unsupported-type", `field "${name}" has no type`, prop, "write its type explicitly");
    else base = this.convert(tn, env, typeHints(d.tags));
    const fieldTags = d.tags.filter((t) => !t.name.startsWith("items:"));
    const itemTags = d.tags.filter((t) => t.name.startsWith("items:")).map((t) => ({ ...t, name: t.name.slice(6) }));
    const overlay = tagOverlay(d.set, fieldTags, base, this.o.diags);
    const schema = mergeOverlay(base, overlay);
    if (itemTags.length) {
      if (schema.type !== "array" || !schema.items) {
        this.o.diags.error("tag-target", `@items:${itemTags[0]!.name} applies to array fields, but "${name}" is not an array`, at(itemTags[0]!), "use the tag without items: on this field");
      } else {
        schema.items = mergeOverlay(schema.items, tagOverlay(d.set, itemTags, schema.items, this.o.diags));
      }
    }
    if (d.description) schema.description = d.description;
    checkValues(d.set, d.tags, schema, this.o.diags);
    if (flags.schemaless && !schema.type && !schema["x-kubernetes-preserve-unknown-fields"] && !schema["x-kubernetes-int-or-string"]) {
      this.o.diags.error("structural", `@schemaless field "${name}" needs @preserveUnknownFields (or @intOrString)`, at(flags.schemaless), "the apiserver requires a type, or preserve-unknown-fields, on every field");
    }
    if (schema["x-kubernetes-int-or-string"] && (schema["x-kubernetes-preserve-unknown-fields"] || schema["x-kubernetes-embedded-resource"])) {
      this.o.diags.error("structural", `field "${name}" cannot be int-or-string and preserve unknown fields or embed a resource`, this.pos(prop));
    }
    const rules: ValidationRule[] = [];
    if (optional && d.tags.some((t) => t.name === "immutable")) {
      rules.push({ rule: `!has(oldSelf.${celName(name)}) || has(self.${celName(name)})`, message: `field ${name} is immutable once set` });
    }
    return { schema, required: !optional, rules };
  }

  /** Converts one type node in an environment of bound type parameters. */
  convert(node: TypeNode, env: Env, hints: Hints): JSONSchemaProps {
    const tsm = this.o.tsm;
    const K = tsm.SyntaxKind;
    switch (node.getKind()) {
      case K.StringKeyword: return { type: "string" };
      case K.BooleanKeyword: return { type: "boolean" };
      case K.NumberKeyword:
        if (!hints.inUnion) this.o.diags.warn("number maps to type: number; Kubernetes API conventions prefer Int32/Int64 or Quantity", this.pos(node));
        return { type: "number" };
      case K.UnknownKeyword: case K.AnyKeyword:
        if (hints.embedded) return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
        if (hints.preserve) return {};
        return this.err("unsupported-type", `${node.getText()} has no schema`, node, "add @preserveUnknownFields (any JSON is kept) or @embeddedResource (a Kubernetes object), or write a concrete type");
      case K.ParenthesizedType: return this.convert((node as import("ts-morph").ParenthesizedTypeNode).getTypeNode(), env, hints);
      case K.LiteralType: return this.literal(node as import("ts-morph").LiteralTypeNode);
      case K.ArrayType: return { type: "array", items: this.convert((node as import("ts-morph").ArrayTypeNode).getElementTypeNode(), env, {}) };
      case K.TypeOperator: {
        const op = node as import("ts-morph").TypeOperatorTypeNode;
        if (op.getOperator() === K.ReadonlyKeyword) return this.convert(op.getTypeNode(), env, hints);
        return this.resolved(node) ?? this.err("unsupported-type", `${node.getText()} is not supported in a schema type`, node, "write the resulting type out (a literal union or an interface)");
      }
      case K.TypeLiteral: {
        const members = (node as import("ts-morph").TypeLiteralNode).getMembers().map((m) => ({ node: m, env }));
        return this.objectOf(members, node, hints);
      }
      case K.UnionType: return this.union(node as import("ts-morph").UnionTypeNode, env, hints);
      case K.IntersectionType: {
        const r = intersectionOf((node as import("ts-morph").IntersectionTypeNode).getTypeNodes().map((t) => this.convert(t, env, {})));
        return "error" in r ? this.err("unsupported-type", r.error, node, r.hint) : r.schema;
      }
      case K.TypeReference: return this.reference(node as import("ts-morph").TypeReferenceNode, env, hints);
      case K.FunctionType: case K.ConstructorType:
        return this.err("unsupported-type", "functions cannot be stored in a custom resource", node, "store data only, e.g. a string naming the behaviour");
      case K.BigIntKeyword: return this.err("unsupported-type", "bigint has no JSON form", node, "use Int64 or a string");
      case K.SymbolKeyword: case K.UniqueKeyword: return this.err("unsupported-type", "symbols have no JSON form", node, "use a string");
      case K.TupleType: return this.err("unsupported-type", "tuples are not supported", node, "use T[] with @minItems/@maxItems");
      case K.NullKeyword: case K.UndefinedKeyword: case K.VoidKeyword: case K.NeverKeyword: case K.ObjectKeyword:
        return this.err("unsupported-type", `${node.getText()} alone has no schema`, node, "use a concrete type (T | null for a nullable field)");
      case K.TemplateLiteralType: return this.template(node as import("ts-morph").TemplateLiteralTypeNode);
      default:
        return this.resolved(node) ?? this.err("unsupported-type", `this type syntax (${node.getKindName()}) is not supported in a schema type`, node, "write the type out as an interface, alias or literal union");
    }
  }

  /**
   * Computed types (`(typeof X)[keyof typeof X]`, `keyof T`, conditional types) through the checker:
   * literal unions become enums, primitives their type. Anything else is left to the caller.
   */
  private resolved(node: TypeNode): JSONSchemaProps | undefined {
    const t = node.getType();
    const parts = t.isUnion() ? t.getUnionTypes() : [t];
    const values: (string | number | boolean)[] = [];
    for (const p of parts) {
      if (p.isStringLiteral() || p.isNumberLiteral()) values.push(p.getLiteralValue() as string | number);
      else if (p.isBooleanLiteral()) values.push(p.getText() === "true");
      else if (p.isString() && parts.length === 1) return { type: "string" };
      else if (p.isNumber() && parts.length === 1) return { type: "number" };
      else if (p.isBoolean() && parts.length === 1) return { type: "boolean" };
      else return undefined;
    }
    if (values.length === 0) return undefined;
    const kinds = new Set(values.map((v) => typeof v));
    if (kinds.size !== 1) return undefined;
    const kind = [...kinds][0];
    if (kind === "boolean") return { type: "boolean" };
    if (kind === "string") return { type: "string", enum: values };
    return { type: values.every((v) => Number.isInteger(v)) ? "integer" : "number", enum: values };
  }

  /**
   * A template literal type: the strings it stands for as an enum when the checker can list them
   * (`a-${"b" | "c"}`), refused otherwise (`a-${string}` is any string with that prefix: a pattern).
   */
  private template(node: import("ts-morph").TemplateLiteralTypeNode): JSONSchemaProps {
    const t = node.getType();
    const parts = t.isUnion() ? t.getUnionTypes() : [t];
    if (parts.every((p) => p.isStringLiteral())) {
      const values = parts.map((p) => p.getLiteralValue() as string);
      if (values.length <= MAX_TEMPLATE_ENUM) return { type: "string", enum: values };
      return this.err("unsupported-type", `the template literal type ${node.getText()} stands for ${values.length} strings, too many for an enum (at most ${MAX_TEMPLATE_ENUM})`, node, `use string with @pattern ${templatePattern(this.o.tsm, node)}`);
    }
    return this.err("unsupported-type", `the template literal type ${node.getText()} has no finite list of values, so it cannot be an enum`, node, `use string with @pattern ${templatePattern(this.o.tsm, node)}`);
  }

  private literal(node: import("ts-morph").LiteralTypeNode): JSONSchemaProps {
    const tsm = this.o.tsm;
    const lit = node.getLiteral();
    if (tsm.Node.isStringLiteral(lit) || tsm.Node.isNoSubstitutionTemplateLiteral(lit)) return { type: "string", enum: [lit.getLiteralValue()] };
    if (tsm.Node.isNumericLiteral(lit) || tsm.Node.isPrefixUnaryExpression(lit)) {
      const v = tsm.Node.isNumericLiteral(lit) ? lit.getLiteralValue() : Number(lit.getText());
      const lost = precisionProblem(lit.getText(), v);
      if (lost) return this.err("number", `the literal type ${lost}`, node, PRECISION_HINT);
      return { type: Number.isInteger(v) ? "integer" : "number", enum: [v] };
    }
    if (lit.getKind() === tsm.SyntaxKind.TrueKeyword) return { type: "boolean", enum: [true] };
    if (lit.getKind() === tsm.SyntaxKind.FalseKeyword) return { type: "boolean", enum: [false] };
    if (lit.getKind() === tsm.SyntaxKind.NullKeyword) return this.err("unsupported-type", "null alone has no schema", node, "use T | null");
    return this.err("unsupported-type", `literal ${node.getText()} is not supported`, node);
  }

  private union(node: import("ts-morph").UnionTypeNode, env: Env, hints: Hints): JSONSchemaProps {
    const K = this.o.tsm.SyntaxKind;
    let nullable = false;
    const members: JSONSchemaProps[] = [];
    for (const t of node.getTypeNodes()) {
      const k = t.getKind();
      const isNull = k === K.NullKeyword || (k === K.LiteralType && (t as import("ts-morph").LiteralTypeNode).getLiteral().getKind() === K.NullKeyword);
      if (isNull) { nullable = true; continue; }
      if (k === K.UndefinedKeyword) continue;
      const s = this.convert(t, env, { ...hints, inUnion: true });
      if (Object.keys(s).length === 0) return s;
      if (s.nullable) nullable = true;
      members.push(s);
    }
    if (members.length === 0) return this.err("unsupported-type", "a union of only null/undefined has no schema", node);
    const r = unionOf(members, !!hints.intOrString);
    if ("error" in r) return this.err("unsupported-type", r.error, node, r.hint);
    const s = members.length === 1 ? { ...r.schema } : r.schema;
    if (nullable) s.nullable = true;
    return s;
  }

  private resolveSymbol(node: Node): import("ts-morph").Symbol | undefined {
    let sym = node.getSymbol();
    if (sym?.isAlias()) sym = sym.getAliasedSymbol() ?? sym;
    return sym;
  }

  private bind(decl: InterfaceDeclaration | TypeAliasDeclaration, args: TypeNode[], env: Env): Env {
    const out = new Map<string, Binding>();
    decl.getTypeParameters().forEach((p, i) => {
      const a = args[i];
      if (a) out.set(p.getName(), { node: a, env });
      else {
        const def = p.getDefault();
        if (def) out.set(p.getName(), { node: def, env: out });
      }
    });
    return out;
  }

  private reference(node: import("ts-morph").TypeReferenceNode, env: Env, hints: Hints): JSONSchemaProps {
    const tsm = this.o.tsm;
    const nameNode = node.getTypeName();
    const text = nameNode.getText();
    const bound = tsm.Node.isIdentifier(nameNode) ? env.get(text) : undefined;
    if (bound) return this.convert(bound.node, bound.env, hints);
    const sym = this.resolveSymbol(nameNode);
    const decls = sym?.getDeclarations() ?? [];
    const decl = decls.find((d) => tsm.Node.isInterfaceDeclaration(d) || tsm.Node.isTypeAliasDeclaration(d) || tsm.Node.isEnumDeclaration(d) || tsm.Node.isClassDeclaration(d) || tsm.Node.isTypeParameterDeclaration(d)) ?? decls[0];
    if (!sym || !decl) return this.unresolvedImport(nameNode, text) ?? this.err("unsupported-type", `${text} is not available in schema types`, node, unknownGlobalHint(text));
    const file = decl.getSourceFile().getFilePath();
    const args = node.getTypeArguments();
    if (file === LIB_FILE) return this.libType(sym.getName(), node, args, env, hints);
    if (isTsopTypesFile(file, this.o.ownTypes)) {
      const s = builtinSchema(sym.getName());
      return s ?? this.err("unsupported-type", `${sym.getName()} from tsop/types cannot be used in a schema`, node, "use a data type such as ObjectMeta, LabelSelector or a core type");
    }
    if (tsm.Node.isTypeParameterDeclaration(decl)) return this.err("unsupported-type", `type parameter ${text} is not bound here`, node, "give the generic type an explicit type argument");
    if (tsm.Node.isClassDeclaration(decl)) return this.err("unsupported-type", `class instances (${text}) cannot be stored`, node, "declare the data as an interface");
    if (tsm.Node.isInterfaceDeclaration(decl) || tsm.Node.isTypeAliasDeclaration(decl) || tsm.Node.isEnumDeclaration(decl)) {
      return this.named(decl, args, env, hints, node);
    }
    if (tsm.Node.isEnumMember(decl)) return this.resolved(node) ?? this.err("unsupported-type", `${text} is not a type a schema can use`, node);
    return this.err("unsupported-type", `${text} is not a type a schema can use`, node);
  }

  /**
   * A name imported from a package that does not resolve (not installed, misspelt): reported at the
   * import's module specifier, where the fix is. (Relative imports are checked before conversion.)
   */
  private unresolvedImport(nameNode: Node, text: string): JSONSchemaProps | undefined {
    const tsm = this.o.tsm;
    const first = tsm.Node.isQualifiedName(nameNode) ? nameNode.getLeft() : nameNode;
    const d = first.getSymbol()?.getDeclarations()[0];
    const imp = d?.getFirstAncestorByKind(tsm.SyntaxKind.ImportDeclaration);
    if (!imp || imp.getModuleSpecifierSourceFile()) return undefined;
    const spec = imp.getModuleSpecifier();
    return this.err("import", `cannot find module '${spec.getLiteralValue()}', which ${text} is imported from`, spec, "install the package with npm install, fix the module name, or import the type from a project file or tsop/types");
  }

  /** A user-declared type: its structure plus its own doc and type-level tags. */
  private named(decl: InterfaceDeclaration | TypeAliasDeclaration | EnumDeclaration, args: TypeNode[], env: Env, hints: Hints, use: Node): JSONSchemaProps {
    const tsm = this.o.tsm;
    if (this.stack.includes(decl)) {
      return this.err("recursive-type", `recursive type ${decl.getName()} cannot be expressed as a structural schema`, use, "cut the cycle: mark the field that refers back with @schemaless and @preserveUnknownFields, or use a separate non-recursive type");
    }
    this.stack.push(decl);
    this.touched.add(decl.getSourceFile().getFilePath());
    try {
      // The type's own flags steer the conversion of its body wherever the type is used, as a
      // field's flags do (controller-gen honours them on the type too).
      const d = this.doc(decl, "type");
      const own = typeHints(d.tags);
      const inner: Hints = { ...hints, ...own };
      let base: JSONSchemaProps;
      const wire = wireTypeOf(d.tags);
      if (wire) base = { type: wire };
      else if (tsm.Node.isEnumDeclaration(decl)) base = this.enumSchema(decl);
      else if (tsm.Node.isInterfaceDeclaration(decl)) base = this.interfaceObject(decl, this.bind(decl, args, env), inner);
      else base = this.convert(decl.getTypeNodeOrThrow(), this.bind(decl, args, env), inner);
      const s = mergeOverlay(base, tagOverlay(d.set, d.tags, base, this.o.diags));
      if (d.description) s.description = d.description;
      checkValues(d.set, d.tags, s, this.o.diags);
      return s;
    } finally {
      this.stack.pop();
    }
  }

  private enumSchema(decl: EnumDeclaration): JSONSchemaProps {
    for (const m of decl.getMembers()) {
      const init = m.getInitializer();
      const v = m.getValue();
      const lost = init && typeof v === "number" ? precisionProblem(init.getText(), v) : undefined;
      if (lost) return this.err("number", `enum member ${m.getName()}: ${lost}`, init!, PRECISION_HINT);
    }
    const values = decl.getMembers().map((m) => m.getValue());
    if (values.every((v) => typeof v === "string")) return { type: "string", enum: values };
    if (values.every((v) => typeof v === "number")) return { type: values.every((v) => Number.isInteger(v)) ? "integer" : "number", enum: values };
    return this.err("unsupported-type", `enum ${decl.getName()} mixes strings and numbers`, decl, "use only string members");
  }

  private libType(name: string, node: TypeNode, args: TypeNode[], env: Env, hints: Hints): JSONSchemaProps {
    const tsm = this.o.tsm;
    const a0 = args[0];
    const a1 = args[1];
    switch (name) {
      case "Array": case "ReadonlyArray":
        return a0 ? { type: "array", items: this.convert(a0, env, {}) } : this.err("unsupported-type", `${name} needs a type argument`, node);
      case "Record": {
        if (!a0 || !a1) return this.err("unsupported-type", "Record needs two type arguments", node);
        if (a0.getKind() !== tsm.SyntaxKind.StringKeyword) return this.err("unsupported-type", "Record keys must be string in a schema", a0, "use Record<string, T>, or an interface for a fixed set of keys");
        if ((hints.preserve || hints.embedded) && a1.getKind() === tsm.SyntaxKind.UnknownKeyword) return { type: "object" };
        return { type: "object", additionalProperties: this.convert(a1, env, {}) };
      }
      case "Readonly": return a0 ? this.convert(a0, env, hints) : {};
      case "NonNullable": {
        if (!a0) return {};
        const s = this.convert(a0, env, hints);
        delete s.nullable;
        return s;
      }
      case "Partial": case "Required": case "Pick": case "Omit": {
        if (!a0) return {};
        const inner = this.convert(a0, env, {});
        if (inner.type !== "object" || !inner.properties) return this.err("unsupported-type", `${name} needs an object type with properties`, node);
        const props = { ...inner.properties };
        let req = inner.required ?? [];
        if (name === "Pick" || name === "Omit") {
          if (!a1) return this.err("unsupported-type", `${name} needs the keys`, node);
          const keys = literalKeys(a1);
          for (const k of Object.keys(props)) if (keys.includes(k) !== (name === "Pick")) delete props[k];
          req = req.filter((r) => r in props);
        }
        if (name === "Partial") req = [];
        if (name === "Required") req = Object.keys(props).sort();
        const out: JSONSchemaProps = { ...inner, properties: props };
        if (req.length) out.required = req; else delete out.required;
        return out;
      }
      default:
        return this.err("unsupported-type", `${name} is not supported in schema types`, node, "write the resulting type out");
    }
  }
}

/** The conversion hints a declaration's flags give (a flag written `false` gives none). */
function typeHints(tags: RawTag[]): Hints {
  const on = (name: string): boolean => tags.some((t) => t.name === name && t.value !== "false");
  const h: Hints = {};
  if (on("intOrString")) h.intOrString = true;
  if (on("preserveUnknownFields")) h.preserve = true;
  if (on("embeddedResource")) h.embedded = true;
  return h;
}

/** The JSON type a valid `@wireType` names (the TypeScript type is then not converted). */
function wireTypeOf(tags: RawTag[]): string | undefined {
  const t = tags.find((x) => x.name === "wireType");
  return t && (WIRE_TYPES as readonly string[]).includes(t.value) ? t.value : undefined;
}

function literalKeys(node: TypeNode): string[] {
  const t = node.getType();
  const parts = t.isUnion() ? t.getUnionTypes() : [t];
  return parts.map((p) => p.getLiteralValue()).filter((v): v is string => typeof v === "string");
}

function propName(tsm: TsMorph, p: PropertySignature): string {
  const n = p.getNameNode();
  if (tsm.Node.isStringLiteral(n) || tsm.Node.isNoSubstitutionTemplateLiteral(n)) return n.getLiteralValue();
  return p.getName();
}

const GLOBAL_HINTS: Record<string, string> = {
  Date: "use DateTime from tsop/types (an RFC 3339 string)",
  Map: "use Record<string, T>",
  Set: "use T[] with @listType set",
  Promise: "store data only",
  Uint8Array: "use Bytes from tsop/types (base64 string)",
  Buffer: "use Bytes from tsop/types (base64 string)",
  Object: "use Record<string, T> or an interface",
};

function unknownGlobalHint(name: string): string {
  return GLOBAL_HINTS[name] ?? "import it from a project file or tsop/types; only data types are allowed";
}

/** A regular expression for the strings a template literal type allows, for the hint. */
function templatePattern(tsm: TsMorph, node: import("ts-morph").TemplateLiteralTypeNode): string {
  const esc = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  let re = "^" + esc(node.getHead().getLiteralText());
  for (const span of node.getTemplateSpans()) {
    const sub = span.getChildAtIndex(0);
    const ty = sub.getType();
    const lits = (ty.isUnion() ? ty.getUnionTypes() : [ty]).map((p) => p.getLiteralValue());
    if (lits.every((v) => v !== undefined)) re += `(${lits.map((v) => esc(String(v))).sort().join("|")})`;
    else if (ty.isNumber() || sub.getKind() === tsm.SyntaxKind.NumberKeyword) re += "-?[0-9]+(\\.[0-9]+)?";
    else re += ".*";
    const lit = span.getChildAtIndex(1);
    re += esc(tsm.Node.isTemplateMiddle(lit) || tsm.Node.isTemplateTail(lit) ? lit.getLiteralText() : "");
  }
  return re + "$";
}
