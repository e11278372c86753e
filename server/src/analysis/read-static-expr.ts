import { ts } from "ts-morph";
import type { LocalBinding, LocalScope } from "./local-scope.js";
import { locOf, shortText, unwrapExpression } from "./node-location.js";
import type { StaticExpr, StaticProp, TypedAs } from "./static-expr.js";

export interface StaticReaderContext {
  sourceFile: ts.SourceFile;
  /** Names bound at module level (imports and top-level declarations). */
  moduleBindings: ReadonlySet<string>;
  /** Calls the summary recorded, by node. */
  callIds: ReadonlyMap<ts.Node, number>;
  /** Function literals the summary tracks as containers, by node. */
  containerIds: ReadonlyMap<ts.Node, number>;
}

/** Turns an expression into a `StaticExpr`, following local `const`s; module-level names stay references. */
export class StaticReader {
  private readonly reading = new Set<ts.Node>();

  constructor(private readonly context: StaticReaderContext) {}

  read(node: ts.Expression, scope: LocalScope | undefined): StaticExpr {
    const sf = this.context.sourceFile;
    const expr = unwrapExpression(node);
    const loc = locOf(node, sf);
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return { kind: "literal", value: expr.text, loc };
    if (ts.isNumericLiteral(expr)) return { kind: "literal", value: Number(expr.text), loc };
    if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(expr.operand)) {
      return { kind: "literal", value: -Number(expr.operand.text), loc };
    }
    switch (expr.kind) {
      case ts.SyntaxKind.TrueKeyword:
        return { kind: "literal", value: true, loc };
      case ts.SyntaxKind.FalseKeyword:
        return { kind: "literal", value: false, loc };
      case ts.SyntaxKind.NullKeyword:
        return { kind: "literal", value: null, loc };
    }
    if (ts.isIdentifier(expr)) return this.readIdentifier(expr, scope, loc);
    if (ts.isPropertyAccessExpression(expr)) return this.readMember(expr.expression, expr.name.text, scope, loc, expr);
    if (ts.isElementAccessExpression(expr)) {
      const key = unwrapExpression(expr.argumentExpression);
      if (ts.isStringLiteral(key) || ts.isNumericLiteral(key) || ts.isNoSubstitutionTemplateLiteral(key)) return this.readMember(expr.expression, key.text, scope, loc, expr);
      return this.readPicked(expr, scope, loc);
    }
    if (ts.isTemplateExpression(expr)) {
      const parts: StaticExpr[] = [];
      if (expr.head.text) parts.push({ kind: "literal", value: expr.head.text, loc: locOf(expr.head, sf) });
      for (const span of expr.templateSpans) {
        parts.push(this.read(span.expression, scope));
        if (span.literal.text) parts.push({ kind: "literal", value: span.literal.text, loc: locOf(span.literal, sf) });
      }
      return { kind: "concat", parts, loc };
    }
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return { kind: "concat", parts: [this.read(expr.left, scope), this.read(expr.right, scope)], loc };
    }
    if (ts.isArrayLiteralExpression(expr)) {
      const items: StaticExpr[] = [];
      let open = false;
      for (const element of expr.elements) {
        if (ts.isSpreadElement(element) || ts.isOmittedExpression(element)) open = true;
        else items.push(this.read(element, scope));
      }
      return { kind: "array", items, open, loc };
    }
    if (ts.isObjectLiteralExpression(expr)) return this.readObject(expr, scope, loc);
    if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) {
      return { kind: "function", containerId: this.context.containerIds.get(expr), loc };
    }
    if (ts.isConditionalExpression(expr)) {
      const text = shortText(expr, this.context.sourceFile);
      return { kind: "choice", options: [this.read(expr.whenTrue, scope), this.read(expr.whenFalse, scope)], guard: locOf(expr.condition, this.context.sourceFile), text, loc };
    }
    if (ts.isBinaryExpression(expr) && isFallback(expr.operatorToken.kind)) {
      // `custom ?? fallback`, `a || b`: either side, chosen by the left one when the code runs.
      // `ok && b`: b, or a falsy left side that no call could use.
      const text = shortText(expr, this.context.sourceFile);
      const options = expr.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ? [this.read(expr.right, scope)] : [this.read(expr.left, scope), this.read(expr.right, scope)];
      return { kind: "choice", options, guard: locOf(expr.left, this.context.sourceFile), text, loc };
    }
    if (ts.isCallExpression(expr)) {
      const callId = this.context.callIds.get(expr);
      if (callId !== undefined) return { kind: "call", callId, loc };
      return this.readCallOfTyped(expr, scope, loc);
    }
    return this.dynamic(expr, loc);
  }

  private readIdentifier(expr: ts.Identifier, scope: LocalScope | undefined, loc: StaticExpr["loc"]): StaticExpr {
    const name = expr.text;
    const local = scope?.lookup(name);
    if (local) return this.readLocal(name, local.binding, local.scope, loc);
    if (name === "undefined") return { kind: "literal", value: undefined, loc };
    if (this.context.moduleBindings.has(name)) return { kind: "ref", root: name, props: [], loc };
    return { kind: "dynamic", text: name, root: name, loc };
  }

  private readLocal(name: string, binding: LocalBinding, scope: LocalScope, loc: StaticExpr["loc"]): StaticExpr {
    const unknown: StaticExpr = { kind: "dynamic", text: name, root: name, loc };
    if (binding.kind === "opaque") {
      const typed = binding.type && this.typedAs(binding.type);
      return typed ? { ...unknown, typed } : unknown;
    }
    const from = binding.kind === "const" ? binding.init : binding.kind === "element" ? valuesOf(binding.of) : binding.of;
    if (this.reading.has(from)) return unknown;
    this.reading.add(from);
    try {
      const value = this.read(from, scope);
      if (binding.kind === "element") return value.kind === "dynamic" ? unknown : { kind: "element", of: value, guard: undefined, text: name, root: name, loc };
      const read = binding.kind === "member" ? this.member(value, binding.key, loc, name) : value;
      if (read.kind === "dynamic") return read.typed ? { ...unknown, typed: read.typed } : unknown;
      return read.kind === "choice" || read.kind === "element" ? { ...read, text: name, root: name } : read;
    } finally {
      this.reading.delete(from);
    }
  }

  /** The property `key` of a value read already: a reference path grows, an object gives its value. */
  member(object: StaticExpr, key: string, loc: StaticExpr["loc"], text: string): StaticExpr {
    if (object.kind === "ref") return { kind: "ref", root: object.root, props: [...object.props, key], loc };
    if (object.kind === "object") {
      for (let i = object.props.length - 1; i >= 0; i--) if (object.props[i]!.key === key) return object.props[i]!.value;
    }
    const root = "root" in object ? object.root : undefined;
    return root !== undefined ? { kind: "dynamic", text, root, loc } : { kind: "dynamic", text, loc };
  }

  private readMember(base: ts.Expression, key: string, scope: LocalScope | undefined, loc: StaticExpr["loc"], whole: ts.Expression): StaticExpr {
    return this.member(this.read(base, scope), key, loc, shortText(whole, this.context.sourceFile));
  }

  /** `steps[key]`, `[a, b][i]`: one of the values, picked where the key is. */
  private readPicked(expr: ts.ElementAccessExpression, scope: LocalScope | undefined, loc: StaticExpr["loc"]): StaticExpr {
    const of = this.read(expr.expression, scope);
    const text = shortText(expr, this.context.sourceFile);
    if (of.kind !== "ref" && of.kind !== "object" && of.kind !== "array") return this.dynamic(expr, loc);
    return { kind: "element", of, guard: locOf(expr.argumentExpression, this.context.sourceFile), text, loc };
  }

  /**
   * The module-level binding a type annotation names: `typeof load`, `typeof flows.load`, `Flow<P>`
   * (an import), or what a function type returns when the value is called.
   */
  private typedAs(type: ts.TypeNode): TypedAs | undefined {
    const node = ts.isParenthesizedTypeNode(type) ? type.type : type;
    const path = ts.isTypeQueryNode(node) ? entityPath(node.exprName) : ts.isTypeReferenceNode(node) ? entityPath(node.typeName) : undefined;
    if (path && this.context.moduleBindings.has(path.root)) return path;
    if (ts.isUnionTypeNode(node)) {
      for (const member of node.types) {
        const typed = this.typedAs(member);
        if (typed) return typed;
      }
    }
    return undefined;
  }

  /** `choose()` where `choose: () => typeof load`: the call is typed as what the function returns. */
  private readCallOfTyped(expr: ts.CallExpression, scope: LocalScope | undefined, loc: StaticExpr["loc"]): StaticExpr {
    const callee = unwrapExpression(expr.expression);
    const local = ts.isIdentifier(callee) ? scope?.lookup(callee.text) : undefined;
    const fnType = local?.binding.kind === "opaque" ? local.binding.type : undefined;
    const typed = fnType && ts.isFunctionTypeNode(fnType) ? this.typedAs(fnType.type) : undefined;
    const unknown = this.dynamic(expr, loc);
    return typed && unknown.kind === "dynamic" ? { ...unknown, typed } : unknown;
  }

  private readObject(expr: ts.ObjectLiteralExpression, scope: LocalScope | undefined, loc: StaticExpr["loc"]): StaticExpr {
    const sf = this.context.sourceFile;
    const props: StaticProp[] = [];
    let open = false;
    for (const property of expr.properties) {
      if (ts.isPropertyAssignment(property)) {
        const key = propertyKey(property.name);
        if (key === undefined) open = true;
        else props.push({ key, keyLoc: locOf(property.name, sf), value: this.read(property.initializer, scope) });
      } else if (ts.isShorthandPropertyAssignment(property)) {
        props.push({ key: property.name.text, keyLoc: locOf(property.name, sf), value: this.read(property.name, scope) });
      } else if (ts.isMethodDeclaration(property) || ts.isAccessor(property)) {
        const key = propertyKey(property.name);
        if (key !== undefined) props.push({ key, keyLoc: locOf(property.name, sf), value: { kind: "function", containerId: undefined, loc: locOf(property, sf) } });
      } else {
        open = true;
      }
    }
    return { kind: "object", props, open, loc };
  }

  private dynamic(expr: ts.Expression, loc: StaticExpr["loc"]): StaticExpr {
    return { kind: "dynamic", text: shortText(expr, this.context.sourceFile), loc };
  }
}

function propertyKey(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

function entityPath(name: ts.EntityName): TypedAs | undefined {
  const props: string[] = [];
  let current: ts.EntityName = name;
  while (ts.isQualifiedName(current)) {
    props.unshift(current.right.text);
    current = current.left;
  }
  return ts.isIdentifier(current) ? { root: current.text, props } : undefined;
}

/** `Object.values(steps)` → `steps`: its elements are the record's values. */
function valuesOf(expr: ts.Expression): ts.Expression {
  const call = unwrapExpression(expr);
  if (!ts.isCallExpression(call) || call.arguments.length !== 1) return expr;
  const callee = unwrapExpression(call.expression);
  const isObjectValues = ts.isPropertyAccessExpression(callee) && callee.name.text === "values" && ts.isIdentifier(callee.expression) && callee.expression.text === "Object";
  return isObjectValues ? call.arguments[0]! : expr;
}

/** `??`, `||` and `&&`: the value is one side or the other, chosen by the left one. */
export function isFallback(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.AmpersandAmpersandToken;
}
