import { ts } from "ts-morph";

/**
 * Names declared inside one function (parameters, variables, inner functions): they shadow
 * module-level bindings, and a local `const` with a static initializer can still be read.
 */
export class LocalScope {
  private constructor(
    readonly parent: LocalScope | undefined,
    private readonly names: Map<string, ts.Expression | null>,
  ) {}

  static forFunction(fn: ts.SignatureDeclaration, parent: LocalScope | undefined): LocalScope {
    const names = new Map<string, ts.Expression | null>();
    for (const parameter of fn.parameters) addBindingNames(parameter.name, names);
    const body = (fn as { body?: ts.Node }).body;
    if (body !== undefined) collectDeclarations(body, names);
    return new LocalScope(parent, names);
  }

  static forCatch(clause: ts.CatchClause, parent: LocalScope | undefined): LocalScope {
    const names = new Map<string, ts.Expression | null>();
    if (clause.variableDeclaration) addBindingNames(clause.variableDeclaration.name, names);
    return new LocalScope(parent, names);
  }

  /** The initializer of a local `const` (null for any other local), or undefined when not local. */
  lookup(name: string): { init: ts.Expression | null; scope: LocalScope } | undefined {
    const init = this.names.get(name);
    if (init !== undefined) return { init, scope: this };
    return this.parent?.lookup(name);
  }
}

function addBindingNames(name: ts.BindingName, into: Map<string, ts.Expression | null>): void {
  if (ts.isIdentifier(name)) {
    into.set(name.text, null);
    return;
  }
  for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBindingNames(element.name, into);
}

function collectDeclarations(node: ts.Node, into: Map<string, ts.Expression | null>): void {
  // An explicit stack: function bodies can be long, and nothing here may overflow.
  const stack: ts.Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (ts.isVariableDeclaration(current)) {
      const isConst = (ts.getCombinedNodeFlags(current) & ts.NodeFlags.Const) !== 0;
      if (ts.isIdentifier(current.name) && isConst && current.initializer) into.set(current.name.text, current.initializer);
      else addBindingNames(current.name, into);
    } else if ((ts.isFunctionDeclaration(current) || ts.isClassDeclaration(current)) && current.name) {
      into.set(current.name.text, null);
    }
    if (current !== node && ts.isFunctionLike(current)) continue;
    if (ts.isTypeNode(current)) continue;
    ts.forEachChild(current, (child) => {
      stack.push(child);
    });
  }
}
