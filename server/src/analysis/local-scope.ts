import { ts } from "ts-morph";

/**
 * What a local name holds, as far as syntax tells: the initializer of a `const`, a property of
 * one (`const { load } = pipeline`), each element of an array a callback runs over
 * (`[a, b].map((f) => f())`), or something that cannot be read (a `let`, a parameter).
 */
export type LocalBinding =
  | { kind: "const"; init: ts.Expression }
  | { kind: "member"; of: ts.Expression; key: string }
  | { kind: "element"; of: ts.Expression }
  /** `type` is the annotation of a parameter or variable, when it has one. */
  | { kind: "opaque"; type?: ts.TypeNode };

/**
 * Names declared inside one function (parameters, variables, inner functions): they shadow
 * module-level bindings, and a local `const` with a static initializer can still be read.
 */
export class LocalScope {
  private constructor(
    readonly parent: LocalScope | undefined,
    private readonly names: Map<string, LocalBinding>,
  ) {}

  /** `elementsOf`: the array the function is a callback of, so its first parameter is each element. */
  static forFunction(fn: ts.SignatureDeclaration, parent: LocalScope | undefined, elementsOf?: ts.Expression): LocalScope {
    const names = new Map<string, LocalBinding>();
    fn.parameters.forEach((parameter, i) => {
      if (i === 0 && elementsOf !== undefined && ts.isIdentifier(parameter.name)) names.set(parameter.name.text, { kind: "element", of: elementsOf });
      else addBindingNames(parameter.name, names, parameter.type);
    });
    const body = (fn as { body?: ts.Node }).body;
    if (body !== undefined) collectDeclarations(body, names);
    return new LocalScope(parent, names);
  }

  static forCatch(clause: ts.CatchClause, parent: LocalScope | undefined): LocalScope {
    const names = new Map<string, LocalBinding>();
    if (clause.variableDeclaration) addBindingNames(clause.variableDeclaration.name, names, undefined);
    return new LocalScope(parent, names);
  }

  /** What a local name holds, or undefined when the name is not local. */
  lookup(name: string): { binding: LocalBinding; scope: LocalScope } | undefined {
    const binding = this.names.get(name);
    if (binding !== undefined) return { binding, scope: this };
    return this.parent?.lookup(name);
  }
}

function addBindingNames(name: ts.BindingName, into: Map<string, LocalBinding>, type: ts.TypeNode | undefined): void {
  if (ts.isIdentifier(name)) {
    into.set(name.text, type === undefined ? { kind: "opaque" } : { kind: "opaque", type });
    return;
  }
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) addBindingNames(element.name, into, memberType(type, element));
  }
}

/** `{ choose }: { choose?: () => Flow }`: the type the annotation gives one destructured name. */
function memberType(type: ts.TypeNode | undefined, element: ts.BindingElement): ts.TypeNode | undefined {
  if (type === undefined || !ts.isTypeLiteralNode(type)) return undefined;
  const key = element.propertyName ?? element.name;
  if (!ts.isIdentifier(key)) return undefined;
  for (const member of type.members) {
    if (ts.isPropertySignature(member) && member.name && ts.isIdentifier(member.name) && member.name.text === key.text) return member.type;
  }
  return undefined;
}

/** `const { load, clean: tidy } = pipeline`: each name is a property of the initializer. */
function addDestructuredConsts(pattern: ts.ObjectBindingPattern, init: ts.Expression, into: Map<string, LocalBinding>): void {
  for (const element of pattern.elements) {
    const key = element.propertyName ?? element.name;
    if (!element.dotDotDotToken && !element.initializer && ts.isIdentifier(element.name) && (ts.isIdentifier(key) || ts.isStringLiteral(key))) {
      into.set(element.name.text, { kind: "member", of: init, key: key.text });
    } else {
      addBindingNames(element.name, into, undefined);
    }
  }
}

function collectDeclarations(node: ts.Node, into: Map<string, LocalBinding>): void {
  // An explicit stack: function bodies can be long, and nothing here may overflow.
  const stack: ts.Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (ts.isVariableDeclaration(current)) {
      const isConst = (ts.getCombinedNodeFlags(current) & ts.NodeFlags.Const) !== 0;
      if (isConst && current.initializer && ts.isIdentifier(current.name)) into.set(current.name.text, { kind: "const", init: current.initializer });
      else if (isConst && current.initializer && ts.isObjectBindingPattern(current.name)) addDestructuredConsts(current.name, current.initializer, into);
      else if (ts.isIdentifier(current.name) && ts.isVariableDeclarationList(current.parent) && ts.isForOfStatement(current.parent.parent)) {
        into.set(current.name.text, { kind: "element", of: current.parent.parent.expression });
      } else addBindingNames(current.name, into, current.type);
    } else if ((ts.isFunctionDeclaration(current) || ts.isClassDeclaration(current)) && current.name) {
      into.set(current.name.text, { kind: "opaque" });
    }
    if (current !== node && ts.isFunctionLike(current)) continue;
    if (ts.isTypeNode(current)) continue;
    ts.forEachChild(current, (child) => {
      stack.push(child);
    });
  }
}
