import { ts } from "ts-morph";
import { applyDefaults, EMPTY_OBJECT_SCHEMA, isUnresolved, mergeObjectSchemas, OPEN_OBJECT_SCHEMA, reshape, type JsonSchema, type JsonType, type TypeArgument, type TypeParameter } from "./json-schema.js";

export { applyDefaults, isUnresolved, mergeObjectSchemas };
import { unwrapExpression } from "./node-location.js";

/** Interfaces and type aliases declared at the top level of the file, by name. */
export type TypeDeclarations = ReadonlyMap<string, TypeDeclaration>;

type TypeDeclaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration;

const MAX_DEPTH = 8;

/** What a type is read against. */
interface TypeScope {
  types: TypeDeclarations;
  /** The type parameters in scope, by name: what each stands for (an argument, or a `typeParam` part). */
  params: ReadonlyMap<string, TypeReading>;
  /** The declarations being read on this path: one met again is recursive, and accepts anything there. */
  expanding: ReadonlySet<TypeDeclaration>;
}

/**
 * The JSON Schema of a flow's parameters, read from the syntax of its function: the first
 * parameter's type annotation (literal types, local interfaces and aliases, generic ones with
 * their arguments) and the defaults of a destructuring pattern. A type from another file is left
 * as a `typeRef` part, filled in when the flow is resolved against the workspace
 * (`resolve-parameter-types.ts`).
 */
export function readParameterSchema(fn: ts.SignatureDeclaration, types: TypeDeclarations): JsonSchema {
  const parameter = fn.parameters[0];
  if (parameter === undefined) return EMPTY_OBJECT_SCHEMA;
  const pattern = ts.isObjectBindingPattern(parameter.name) ? parameter.name : undefined;
  // The function's own type parameters (`async <P>(p: P) => …`) stand for whatever a caller picks.
  const params = new Map((fn.typeParameters ?? []).map((p) => [p.name.text, OPEN]));
  let schema: JsonSchema;
  if (parameter.type) schema = typeToSchema(parameter.type, { types, params, expanding: new Set() }, 0).schema;
  else if (pattern) schema = schemaOfUntypedPattern(pattern);
  else return OPEN_OBJECT_SCHEMA;
  if (pattern && schema.properties) schema = applyDefaults(schema, patternDefaults(pattern));
  else if (pattern && isUnresolved(schema)) schema = { ...schema, defaultsOf: patternDefaults(pattern) };
  return schema;
}

/**
 * The schema of a top-level interface or type alias, kept in the summary for other files' flows.
 * A generic one's parameters are `typeParam` parts of it, given with their defaults.
 */
export function typeDeclarationSchema(declaration: TypeDeclaration, types: TypeDeclarations): { schema: JsonSchema; typeParameters?: TypeParameter[] } {
  const declared = declaration.typeParameters ?? [];
  const params = new Map(declared.map((p): [string, TypeReading] => [p.name.text, { schema: { typeParam: p.name.text }, optional: false }]));
  const scope: TypeScope = { types, params, expanding: new Set([declaration]) };
  const schema = declarationReading(declaration, scope, 1).schema;
  if (declared.length === 0) return { schema };
  const typeParameters = declared.map((p): TypeParameter => (p.default ? { name: p.name.text, default: toTypeArgument(typeToSchema(p.default, scope, 1)) } : { name: p.name.text }));
  return { schema, typeParameters };
}

interface TypeReading {
  schema: JsonSchema;
  /** The type admits `undefined`. */
  optional: boolean;
}

const OPEN: TypeReading = { schema: {}, optional: false };

function typeToSchema(node: ts.TypeNode, scope: TypeScope, depth: number): TypeReading {
  if (depth > MAX_DEPTH) return OPEN;
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return plain("string");
    case ts.SyntaxKind.NumberKeyword:
      return plain("number");
    case ts.SyntaxKind.BooleanKeyword:
      return plain("boolean");
    case ts.SyntaxKind.NullKeyword:
      return plain("null");
    case ts.SyntaxKind.UndefinedKeyword:
    case ts.SyntaxKind.VoidKeyword:
      return { schema: {}, optional: true };
  }
  if (ts.isParenthesizedTypeNode(node)) return typeToSchema(node.type, scope, depth);
  if (ts.isLiteralTypeNode(node)) return literalSchema(node.literal);
  if (ts.isArrayTypeNode(node)) return { schema: { type: "array", items: typeToSchema(node.elementType, scope, depth + 1).schema }, optional: false };
  if (ts.isTupleTypeNode(node)) return plain("array");
  if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) return typeToSchema(node.type, scope, depth);
  if (ts.isTypeLiteralNode(node)) return { schema: membersToSchema(node.members, scope, depth, true), optional: false };
  if (ts.isUnionTypeNode(node)) return unionSchema(node.types.map((t) => typeToSchema(t, scope, depth + 1)));
  if (ts.isIntersectionTypeNode(node)) return intersectionSchema(node.types.map((t) => typeToSchema(t, scope, depth + 1).schema));
  if (ts.isTypeReferenceNode(node)) return referenceSchema(node, scope, depth);
  return OPEN;
}

function referenceSchema(node: ts.TypeReferenceNode, scope: TypeScope, depth: number): TypeReading {
  const name = ts.isIdentifier(node.typeName) ? node.typeName.text : undefined;
  const args = node.typeArguments ?? [];
  if ((name === "Array" || name === "ReadonlyArray") && args[0]) {
    return { schema: { type: "array", items: typeToSchema(args[0], scope, depth + 1).schema }, optional: false };
  }
  if (name === "Record" && args[1]) {
    return { schema: { type: "object", additionalProperties: typeToSchema(args[1], scope, depth + 1).schema }, optional: false };
  }
  if ((name === "Readonly" || name === "Required") && args[0]) return typeToSchema(args[0], scope, depth + 1);
  if (name === "Partial" && args[0]) return { schema: reshape(typeToSchema(args[0], scope, depth + 1).schema, { partial: true }), optional: false };
  if ((name === "Pick" || name === "Omit") && args[0] && args[1]) {
    // Keys other than string literals (`keyof T`, a type parameter) leave it open: which members remain is not known.
    const keys = literalKeys(typeToSchema(args[1], scope, depth + 1).schema);
    if (keys === undefined) return OPEN;
    const inner = typeToSchema(args[0], scope, depth + 1).schema;
    return { schema: reshape(inner, name === "Pick" ? { pick: keys } : { omit: keys }), optional: false };
  }
  return namedTypeSchema(node.typeName, args, scope, depth);
}

/**
 * A type by name, with its type arguments: a type parameter in scope stands for its argument; a
 * local interface or alias is read here, its parameters bound to the arguments; any other name is
 * left as a `typeRef`, with the arguments read here.
 */
function namedTypeSchema(typeName: ts.EntityName | ts.Expression, argNodes: readonly ts.TypeNode[], scope: TypeScope, depth: number): TypeReading {
  const path = typePath(typeName);
  if (path === undefined) return OPEN;
  const local = path.props.length === 0;
  const param = local ? scope.params.get(path.root) : undefined;
  if (param !== undefined) return argNodes.length === 0 ? param : OPEN;
  const args = argNodes.map((a) => typeToSchema(a, scope, depth + 1));
  const declaration = local ? scope.types.get(path.root) : undefined;
  if (declaration === undefined) {
    const typeRef: JsonSchema = { typeRef: path };
    if (args.length > 0) typeRef.typeArgs = args.map(toTypeArgument);
    return { schema: typeRef, optional: false };
  }
  if (scope.expanding.has(declaration)) return OPEN;
  const expanding = new Set([...scope.expanding, declaration]);
  const params = bindTypeParameters(declaration.typeParameters ?? [], args, { types: scope.types, params: new Map(), expanding }, depth);
  return declarationReading(declaration, { types: scope.types, params, expanding }, depth + 1);
}

/** Each type parameter bound to its argument, else to its default (read with the parameters before it), else to anything. */
function bindTypeParameters(declared: readonly ts.TypeParameterDeclaration[], args: TypeReading[], scope: TypeScope, depth: number): Map<string, TypeReading> {
  const bound = new Map<string, TypeReading>();
  const withEarlier: TypeScope = { ...scope, params: bound };
  declared.forEach((p, i) => {
    bound.set(p.name.text, args[i] ?? (p.default ? typeToSchema(p.default, withEarlier, depth + 1) : OPEN));
  });
  return bound;
}

function declarationReading(declaration: TypeDeclaration, scope: TypeScope, depth: number): TypeReading {
  if (ts.isTypeAliasDeclaration(declaration)) return typeToSchema(declaration.type, scope, depth);
  return { schema: interfaceSchema(declaration, scope, depth), optional: false };
}

/** An interface's own members, merged with what it extends (local or imported, generic or not) once that is known. */
function interfaceSchema(declaration: ts.InterfaceDeclaration, scope: TypeScope, depth: number): JsonSchema {
  const own = membersToSchema(declaration.members, scope, depth, true);
  const bases = (declaration.heritageClauses ?? []).flatMap((clause) => clause.types);
  if (bases.length === 0) return own;
  // A base not read here (not a name, or not an object type) leaves the interface open: keep what is read.
  const unknownBase: JsonSchema = { type: "object", properties: {} };
  const parts = bases.map((base) => {
    const schema = namedTypeSchema(base.expression, base.typeArguments ?? [], scope, depth + 1).schema;
    return isUnresolved(schema) || (schema.type === "object" && schema.properties) ? schema : unknownBase;
  });
  return parts.some(isUnresolved) ? { allOf: [...parts, own] } : mergeObjectSchemas([...parts, own]);
}

/** `"a" | "b"` as its strings. */
function literalKeys(schema: JsonSchema): string[] | undefined {
  const values = schema.type === "string" ? schema.enum : undefined;
  return values?.every((v) => typeof v === "string") ? (values as string[]) : undefined;
}

function toTypeArgument(reading: TypeReading): TypeArgument {
  return reading.optional ? { schema: reading.schema, optional: true } : { schema: reading.schema };
}

function typePath(name: ts.EntityName | ts.Expression): { root: string; props: string[] } | undefined {
  const props: string[] = [];
  let current: ts.Node = name;
  while (ts.isQualifiedName(current) || ts.isPropertyAccessExpression(current)) {
    props.unshift(ts.isQualifiedName(current) ? current.right.text : current.name.text);
    current = ts.isQualifiedName(current) ? current.left : current.expression;
  }
  return ts.isIdentifier(current) ? { root: current.text, props } : undefined;
}

function membersToSchema(members: ts.NodeArray<ts.TypeElement>, scope: TypeScope, depth: number, closed: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  let additional: boolean | JsonSchema = !closed;
  for (const member of members) {
    if (ts.isPropertySignature(member)) {
      const key = ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) || ts.isNumericLiteral(member.name) ? member.name.text : undefined;
      if (key === undefined) {
        additional = true;
        continue;
      }
      const reading = member.type ? typeToSchema(member.type, scope, depth + 1) : OPEN;
      properties[key] = reading.schema;
      if (!member.questionToken && !reading.optional) required.push(key);
    } else if (ts.isIndexSignatureDeclaration(member)) {
      additional = member.type ? typeToSchema(member.type, scope, depth + 1).schema : true;
    } else {
      additional = true;
    }
  }
  const schema: JsonSchema = { type: "object", properties };
  if (required.length > 0) schema.required = required;
  if (additional !== true) schema.additionalProperties = additional;
  return schema;
}

function unionSchema(members: TypeReading[]): TypeReading {
  const optional = members.some((m) => m.optional);
  const schemas = members.filter((m) => !(m.optional && Object.keys(m.schema).length === 0)).map((m) => m.schema);
  if (schemas.length === 0) return { schema: {}, optional };
  if (schemas.length === 1) return { schema: schemas[0]!, optional };
  if (schemas.some((s) => Object.keys(s).length === 0)) return { schema: {}, optional };
  const literalOnly = schemas.every((s) => s.enum !== undefined && typeof s.type === "string");
  if (literalOnly) {
    const typesSeen = [...new Set(schemas.map((s) => s.type as JsonType))];
    const values = schemas.flatMap((s) => s.enum!);
    return { schema: { type: typesSeen.length === 1 ? typesSeen[0]! : typesSeen, enum: values }, optional };
  }
  const simple = schemas.every((s) => Object.keys(s).length === 1 && typeof s.type === "string");
  if (simple) return { schema: { type: [...new Set(schemas.map((s) => s.type as JsonType))] }, optional };
  return { schema: { anyOf: schemas }, optional };
}

function intersectionSchema(schemas: JsonSchema[]): TypeReading {
  if (schemas.some(isUnresolved)) return { schema: { allOf: schemas }, optional: false };
  return { schema: mergeObjectSchemas(schemas), optional: false };
}


function literalSchema(literal: ts.LiteralTypeNode["literal"]): TypeReading {
  if (ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal)) return { schema: { type: "string", enum: [literal.text] }, optional: false };
  if (ts.isNumericLiteral(literal)) return { schema: { type: "number", enum: [Number(literal.text)] }, optional: false };
  if (ts.isPrefixUnaryExpression(literal) && ts.isNumericLiteral(literal.operand)) {
    return { schema: { type: "number", enum: [-Number(literal.operand.text)] }, optional: false };
  }
  if (literal.kind === ts.SyntaxKind.TrueKeyword) return { schema: { type: "boolean", enum: [true] }, optional: false };
  if (literal.kind === ts.SyntaxKind.FalseKeyword) return { schema: { type: "boolean", enum: [false] }, optional: false };
  if (literal.kind === ts.SyntaxKind.NullKeyword) return plain("null");
  return { schema: {}, optional: false };
}

function plain(type: JsonType): TypeReading {
  return { schema: { type }, optional: false };
}

function schemaOfUntypedPattern(pattern: ts.ObjectBindingPattern): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  let open = false;
  for (const element of pattern.elements) {
    const key = bindingKey(element);
    if (element.dotDotDotToken || key === undefined) {
      open = true;
      continue;
    }
    // Without a type, a name with no default may still be left out: none is required.
    properties[key] = element.initializer ? schemaOfDefault(element.initializer) : {};
  }
  const schema: JsonSchema = { type: "object", properties };
  if (!open) schema.additionalProperties = false;
  return schema;
}

function patternDefaults(pattern: ts.ObjectBindingPattern): NonNullable<JsonSchema["defaultsOf"]> {
  return pattern.elements.flatMap((element) => {
    const key = bindingKey(element);
    if (key === undefined || !element.initializer) return [];
    const value = literalValue(element.initializer);
    return [value === undefined ? { key } : { key, value }];
  });
}


function bindingKey(element: ts.BindingElement): string | undefined {
  const name = element.propertyName ?? element.name;
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function schemaOfDefault(initializer: ts.Expression): JsonSchema {
  const value = literalValue(initializer);
  if (typeof value === "string") return { type: "string", default: value };
  if (typeof value === "number") return { type: "number", default: value };
  if (typeof value === "boolean") return { type: "boolean", default: value };
  const expr = unwrapExpression(initializer);
  if (ts.isArrayLiteralExpression(expr)) return { type: "array" };
  if (ts.isObjectLiteralExpression(expr)) return { type: "object" };
  return {};
}

function literalValue(initializer: ts.Expression): string | number | boolean | null | undefined {
  const expr = unwrapExpression(initializer);
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
  if (ts.isNumericLiteral(expr)) return Number(expr.text);
  if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(expr.operand)) return -Number(expr.operand.text);
  if (expr.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (expr.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (expr.kind === ts.SyntaxKind.NullKeyword) return null;
  return undefined;
}
