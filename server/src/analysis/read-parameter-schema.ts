import { ts } from "ts-morph";
import { applyDefaults, EMPTY_OBJECT_SCHEMA, isUnresolved, mergeObjectSchemas, OPEN_OBJECT_SCHEMA, type JsonSchema, type JsonType } from "./json-schema.js";

export { applyDefaults, isUnresolved, mergeObjectSchemas };
import { unwrapExpression } from "./node-location.js";

/** Interfaces and type aliases declared at the top level of the file, by name. */
export type TypeDeclarations = ReadonlyMap<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;

const MAX_DEPTH = 8;

/**
 * The JSON Schema of a flow's parameters, read from the syntax of its function: the first
 * parameter's type annotation (literal types, local interfaces and aliases) and the defaults of a
 * destructuring pattern. A type from another file is left as a `typeRef` part, filled in when the
 * flow is resolved against the workspace (`resolve-parameter-types.ts`).
 */
export function readParameterSchema(fn: ts.SignatureDeclaration, types: TypeDeclarations): JsonSchema {
  const parameter = fn.parameters[0];
  if (parameter === undefined) return EMPTY_OBJECT_SCHEMA;
  const pattern = ts.isObjectBindingPattern(parameter.name) ? parameter.name : undefined;
  let schema: JsonSchema;
  if (parameter.type) schema = typeToSchema(parameter.type, types, 0).schema;
  else if (pattern) schema = schemaOfUntypedPattern(pattern);
  else return OPEN_OBJECT_SCHEMA;
  if (pattern && schema.properties) schema = applyDefaults(schema, patternDefaults(pattern));
  else if (pattern && isUnresolved(schema)) schema = { ...schema, defaultsOf: patternDefaults(pattern) };
  return schema;
}

/** The schema of a top-level interface or type alias, kept in the summary for other files' flows. */
export function typeDeclarationSchema(declaration: ts.InterfaceDeclaration | ts.TypeAliasDeclaration, types: TypeDeclarations): JsonSchema {
  return ts.isTypeAliasDeclaration(declaration) ? typeToSchema(declaration.type, types, 1).schema : interfaceSchema(declaration, types, 1);
}

/** A schema with parts from other files still to fill in. */

interface TypeReading {
  schema: JsonSchema;
  /** The type admits `undefined`. */
  optional: boolean;
}

function typeToSchema(node: ts.TypeNode, types: TypeDeclarations, depth: number): TypeReading {
  if (depth > MAX_DEPTH) return { schema: {}, optional: false };
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
  if (ts.isParenthesizedTypeNode(node)) return typeToSchema(node.type, types, depth);
  if (ts.isLiteralTypeNode(node)) return literalSchema(node.literal);
  if (ts.isArrayTypeNode(node)) return { schema: { type: "array", items: typeToSchema(node.elementType, types, depth + 1).schema }, optional: false };
  if (ts.isTupleTypeNode(node)) return plain("array");
  if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) return typeToSchema(node.type, types, depth);
  if (ts.isTypeLiteralNode(node)) return { schema: membersToSchema(node.members, types, depth, true), optional: false };
  if (ts.isUnionTypeNode(node)) return unionSchema(node.types.map((t) => typeToSchema(t, types, depth + 1)));
  if (ts.isIntersectionTypeNode(node)) return intersectionSchema(node.types.map((t) => typeToSchema(t, types, depth + 1).schema));
  if (ts.isTypeReferenceNode(node)) return referenceSchema(node, types, depth);
  return { schema: {}, optional: false };
}

function referenceSchema(node: ts.TypeReferenceNode, types: TypeDeclarations, depth: number): TypeReading {
  const name = ts.isIdentifier(node.typeName) ? node.typeName.text : undefined;
  const args = node.typeArguments ?? [];
  if ((name === "Array" || name === "ReadonlyArray") && args[0]) {
    return { schema: { type: "array", items: typeToSchema(args[0], types, depth + 1).schema }, optional: false };
  }
  if (name === "Record" && args[1]) {
    return { schema: { type: "object", additionalProperties: typeToSchema(args[1], types, depth + 1).schema }, optional: false };
  }
  if ((name === "Readonly" || name === "Required") && args[0]) return typeToSchema(args[0], types, depth + 1);
  if (name === "Partial" && args[0]) {
    const inner = typeToSchema(args[0], types, depth + 1).schema;
    if (isUnresolved(inner)) return { schema: { ...inner, partial: true }, optional: false };
    const { required: _required, ...rest } = inner;
    return { schema: rest, optional: false };
  }
  if (args.length > 0) return { schema: {}, optional: false };
  return { schema: namedTypeSchema(node.typeName, types, depth), optional: false };
}

/** A type by name: a local interface or alias is read here; any other name is left as a `typeRef`. */
function namedTypeSchema(typeName: ts.EntityName | ts.Expression, types: TypeDeclarations, depth: number): JsonSchema {
  const path = typePath(typeName);
  if (path === undefined) return {};
  const declaration = path.props.length === 0 ? types.get(path.root) : undefined;
  if (declaration === undefined) return { typeRef: path };
  if (ts.isTypeAliasDeclaration(declaration)) return typeToSchema(declaration.type, types, depth + 1).schema;
  return interfaceSchema(declaration, types, depth);
}

/** An interface's own members, merged with what it extends (local or imported) once that is known. */
function interfaceSchema(declaration: ts.InterfaceDeclaration, types: TypeDeclarations, depth: number): JsonSchema {
  const own = membersToSchema(declaration.members, types, depth, true);
  const bases = (declaration.heritageClauses ?? []).flatMap((clause) => clause.types);
  if (bases.length === 0) return own;
  // A base not read here (generic, or not a name) leaves the interface open: keep what is read.
  const unknownBase: JsonSchema = { type: "object", properties: {} };
  const parts = bases.map((base) => {
    const schema = (base.typeArguments ?? []).length > 0 ? {} : namedTypeSchema(base.expression, types, depth + 1);
    return isUnresolved(schema) || (schema.type === "object" && schema.properties) ? schema : unknownBase;
  });
  return parts.some(isUnresolved) ? { allOf: [...parts, own] } : mergeObjectSchemas([...parts, own]);
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

function membersToSchema(members: ts.NodeArray<ts.TypeElement>, types: TypeDeclarations, depth: number, closed: boolean): JsonSchema {
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
      const reading = member.type ? typeToSchema(member.type, types, depth + 1) : { schema: {}, optional: false };
      properties[key] = reading.schema;
      if (!member.questionToken && !reading.optional) required.push(key);
    } else if (ts.isIndexSignatureDeclaration(member)) {
      additional = member.type ? typeToSchema(member.type, types, depth + 1).schema : true;
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
