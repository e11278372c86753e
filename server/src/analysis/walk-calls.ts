import { ts } from "ts-morph";
import type { CallSite, CalleePath, Container } from "./file-summary.js";
import { LocalScope } from "./local-scope.js";
import { isFunctionLiteral, isTransparentWrapper, locOf, unwrapExpression } from "./node-location.js";
import type { ModuleBindings } from "./read-module-bindings.js";
import { readParameterSchema } from "./read-parameter-schema.js";
import { isFallback, StaticReader } from "./read-static-expr.js";
import type { StaticExpr } from "./static-expr.js";
import type { Loc } from "./source-location.js";

interface WalkContext {
  containerId: number | undefined;
  guard: Loc | undefined;
  scope: LocalScope | undefined;
}

/**
 * Walks every body of a file once and records the calls rooted at module-level bindings, with the
 * function they sit in and whether they are conditional (under if/else, switch, ?:, &&/||/??,
 * catch, a loop body, after an early return, or inside a nested callback).
 */
export class CallWalker {
  readonly calls: CallSite[] = [];
  readonly containers: Container[] = [];
  readonly callIds = new Map<ts.Node, number>();
  readonly containerIds = new Map<ts.Node, number>();
  readonly reader: StaticReader;
  /** Per function, how often each identifier occurs in it: counted once, when a call is bound to a local. */
  private readonly identifierCounts = new Map<ts.Node, Map<string, number>>();

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly bindings: ModuleBindings,
  ) {
    this.reader = new StaticReader({ sourceFile: sf, moduleBindings: bindings.names, callIds: this.callIds, containerIds: this.containerIds });
    for (const [name, fn] of bindings.helpers) this.addContainer(fn, "helper", undefined, undefined, name, undefined);
  }

  walk(): void {
    this.visitStatements(this.sf.statements, { containerId: undefined, guard: undefined, scope: undefined });
  }

  private addContainer(fn: ts.SignatureDeclaration, kind: Container["kind"], parentId: number | undefined, callId: number | undefined, name: string | undefined, guard: Loc | undefined): number {
    const id = this.containers.length;
    this.containers.push({ id, kind, parentId, callId, name, guard, parameters: readParameterSchema(fn, this.bindings.types), loc: locOf(fn, this.sf) });
    this.containerIds.set(fn, id);
    return id;
  }

  private visitStatements(statements: readonly ts.Statement[], ctx: WalkContext): void {
    let guard = ctx.guard;
    for (const statement of statements) {
      this.visit(statement, guard === ctx.guard ? ctx : { ...ctx, guard });
      if (ts.isIfStatement(statement) && (alwaysExits(statement.thenStatement) || (statement.elseStatement && alwaysExits(statement.elseStatement)))) {
        guard = locOf(statement.expression, this.sf);
      }
    }
  }

  private visit(node: ts.Node, ctx: WalkContext): void {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isImportDeclaration(node)) return;
    const guarded = (at: ts.Node): WalkContext => ({ ...ctx, guard: locOf(at, this.sf) });
    if (ts.isIfStatement(node)) {
      this.visit(node.expression, ctx);
      this.visit(node.thenStatement, guarded(node.expression));
      if (node.elseStatement) this.visit(node.elseStatement, guarded(node.expression));
    } else if (ts.isConditionalExpression(node)) {
      this.visit(node.condition, ctx);
      this.visit(node.whenTrue, guarded(node.condition));
      this.visit(node.whenFalse, guarded(node.condition));
    } else if (ts.isBinaryExpression(node) && isShortCircuit(node.operatorToken.kind)) {
      this.visit(node.left, ctx);
      this.visit(node.right, guarded(node.left));
    } else if (ts.isSwitchStatement(node)) {
      this.visit(node.expression, ctx);
      for (const clause of node.caseBlock.clauses) this.visitStatements(clause.statements, guarded(node.expression));
    } else if (ts.isTryStatement(node)) {
      this.visit(node.tryBlock, ctx);
      if (node.catchClause) this.visit(node.catchClause.block, { ...guarded(node.catchClause), scope: LocalScope.forCatch(node.catchClause, ctx.scope) });
      if (node.finallyBlock) this.visit(node.finallyBlock, ctx);
    } else if (ts.isForStatement(node)) {
      if (node.initializer) this.visit(node.initializer, ctx);
      const inLoop = guarded(node.condition ?? node);
      if (node.condition) this.visit(node.condition, inLoop);
      if (node.incrementor) this.visit(node.incrementor, inLoop);
      this.visit(node.statement, inLoop);
    } else if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      this.visit(node.expression, ctx);
      this.visit(node.statement, guarded(node.expression));
    } else if (ts.isWhileStatement(node)) {
      this.visit(node.expression, ctx);
      this.visit(node.statement, guarded(node.expression));
    } else if (ts.isBlock(node) || ts.isModuleBlock(node)) {
      this.visitStatements(node.statements, ctx);
    } else if (ts.isFunctionLike(node)) {
      this.visitFunction(node, ctx);
    } else if (ts.isCallExpression(node)) {
      this.visitCall(node, ctx);
    } else {
      ts.forEachChild(node, (child) => this.visit(child, ctx));
    }
  }

  /**
   * Tracked functions start their own context; any other function runs maybe never: its calls are
   * guarded — except a callback of `[a, b].map(…)` over a non-empty array literal, which runs.
   */
  private visitFunction(fn: ts.SignatureDeclaration, ctx: WalkContext): void {
    const containerId = this.containerIds.get(fn);
    const elementsOf = arrayCallbackOf(fn);
    const scope = LocalScope.forFunction(fn, ctx.scope, elementsOf);
    const runsForEach = elementsOf !== undefined && isNonEmptyArrayLiteral(elementsOf);
    const inner: WalkContext =
      containerId !== undefined
        ? { containerId, guard: undefined, scope }
        : { containerId: ctx.containerId, guard: ctx.guard ?? (runsForEach ? undefined : locOf(fn, this.sf)), scope };
    for (const parameter of fn.parameters) if (parameter.initializer) this.visit(parameter.initializer, inner);
    const body = (fn as { body?: ts.Node }).body;
    if (body) this.visit(body, inner);
  }

  private visitCall(node: ts.CallExpression, ctx: WalkContext): void {
    let calleeExpr = unwrapExpression(node.expression);
    let withOptions: ts.CallExpression | undefined;
    if (ts.isCallExpression(calleeExpr)) {
      const inner = unwrapExpression(calleeExpr.expression);
      if (ts.isPropertyAccessExpression(inner) && inner.name.text === "withOptions") {
        withOptions = calleeExpr;
        calleeExpr = unwrapExpression(inner.expression);
      }
    }
    let callee = calleePath(calleeExpr);
    let target: StaticExpr | undefined;
    if (!callee || ctx.scope?.lookup(callee.root) !== undefined || !this.bindings.names.has(callee.root)) {
      // A callee held in a local name, picked from an array or record, or chosen by `?:`.
      const value = isLocalCallee(calleeExpr, ctx.scope) ? this.reader.read(calleeExpr, ctx.scope) : undefined;
      if (value?.kind === "ref") callee = { root: value.root, props: value.props };
      else if (value !== undefined && isWorthFollowing(value)) {
        callee = { root: "", props: [] };
        target = value;
      } else {
        ts.forEachChild(node, (child) => this.visit(child, ctx));
        return;
      }
    }
    const id = this.calls.length;
    this.calls.push(undefined as unknown as CallSite);
    this.callIds.set(node, id);
    for (const argument of node.arguments) {
      const fn = unwrapExpression(argument);
      if (isFunctionLiteral(fn)) this.addContainer(fn, "call-argument", ctx.containerId, id, undefined, ctx.guard ?? locOf(fn, this.sf));
    }
    if (withOptions) for (const argument of withOptions.arguments) this.visit(argument, ctx);
    if (target !== undefined && !ts.isIdentifier(calleeExpr)) this.visit(calleeExpr, ctx);
    for (const argument of node.arguments) this.visit(argument, ctx);
    const usage = usageOf(node, this.identifierCounts);
    this.calls[id] = {
      id,
      callee,
      ...(target !== undefined ? { target } : {}),
      withOptions: withOptions !== undefined,
      args: node.arguments.map((a) => this.reader.read(a, ctx.scope)),
      loc: locOf(node, this.sf),
      calleeLoc: locOf(calleeExpr, this.sf),
      containerId: ctx.containerId,
      guard: ctx.guard,
      ...usage,
    };
  }
}

/** A callee that is not a module-level name: a local, `steps[key]`, `(fast ? a : b)`, `(custom ?? load)`. */
function isLocalCallee(expr: ts.Expression, scope: LocalScope | undefined): boolean {
  if (ts.isElementAccessExpression(expr) || ts.isConditionalExpression(expr)) return true;
  if (ts.isBinaryExpression(expr) && isFallback(expr.operatorToken.kind)) return true;
  let root: ts.Expression = expr;
  while (ts.isPropertyAccessExpression(root)) root = unwrapExpression(root.expression);
  return ts.isIdentifier(root) && scope?.lookup(root.text) !== undefined;
}

/** What may lead to a flow or task: a choice, an element of something known, a value typed as one. */
function isWorthFollowing(value: StaticExpr): boolean {
  if (value.kind === "choice") return value.options.some((o) => o.kind !== "literal" && o.kind !== "function");
  if (value.kind === "element") return value.of.kind !== "dynamic";
  return value.kind === "dynamic" && value.typed !== undefined;
}

/** The array a function is the callback of: `xs` in `xs.map((x) => …)`, `.forEach`, `.flatMap`. */
function arrayCallbackOf(fn: ts.SignatureDeclaration): ts.Expression | undefined {
  let node: ts.Node = fn;
  while (isTransparentWrapper(node.parent)) node = node.parent;
  const call = node.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== node) return undefined;
  const callee = unwrapExpression(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ARRAY_CALLBACKS.has(callee.name.text)) return undefined;
  return callee.expression;
}

const ARRAY_CALLBACKS: ReadonlySet<string> = new Set(["map", "forEach", "flatMap"]);

function isNonEmptyArrayLiteral(expr: ts.Expression): boolean {
  const array = unwrapExpression(expr);
  return ts.isArrayLiteralExpression(array) && array.elements.length > 0 && !array.elements.some((e) => ts.isSpreadElement(e) || ts.isOmittedExpression(e));
}

function calleePath(expr: ts.Expression): CalleePath | undefined {
  const props: string[] = [];
  let current = expr;
  while (ts.isPropertyAccessExpression(current)) {
    props.unshift(current.name.text);
    current = unwrapExpression(current.expression);
  }
  return ts.isIdentifier(current) ? { root: current.text, props } : undefined;
}

function usageOf(node: ts.CallExpression, identifierCounts: Map<ts.Node, Map<string, number>>): Pick<CallSite, "discarded" | "voided" | "boundTo" | "neverRead"> {
  let parent = outerParent(node);
  if (ts.isExpressionStatement(parent)) return { discarded: true, voided: false, boundTo: undefined };
  if (ts.isVoidExpression(parent)) return { discarded: true, voided: true, boundTo: undefined };
  const awaited = ts.isAwaitExpression(parent);
  if (awaited) parent = outerParent(parent);
  const boundTo = ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
  const neverRead = !awaited && boundTo !== undefined && ts.isVariableDeclaration(parent) && isNeverRead(parent, boundTo, identifierCounts);
  return { discarded: false, voided: false, boundTo, ...(neverRead ? { neverRead } : {}) };
}

/**
 * A local variable no code reads again: its promise is neither awaited, returned nor passed on.
 * Any identifier of the same name in the enclosing function counts as a read (shadowing too), so
 * this errs on the side of silence.
 */
function isNeverRead(declaration: ts.VariableDeclaration, name: string, identifierCounts: Map<ts.Node, Map<string, number>>): boolean {
  let scope: ts.Node = declaration;
  while (!ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (ts.isSourceFile(scope)) return false; // a module-level binding may be exported or read anywhere
  let counts = identifierCounts.get(scope);
  if (counts === undefined) identifierCounts.set(scope, (counts = countIdentifiers(scope)));
  return counts.get(name) === 1; // the declaration's own name
}

function countIdentifiers(node: ts.Node): Map<string, number> {
  const counts = new Map<string, number>();
  const stack: ts.Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (ts.isIdentifier(current)) counts.set(current.text, (counts.get(current.text) ?? 0) + 1);
    ts.forEachChild(current, (child) => {
      stack.push(child);
    });
  }
  return counts;
}

function outerParent(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (isTransparentWrapper(parent)) parent = parent.parent;
  return parent;
}

function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.AmpersandAmpersandToken ||
    kind === ts.SyntaxKind.BarBarToken ||
    kind === ts.SyntaxKind.QuestionQuestionToken ||
    kind === ts.SyntaxKind.AmpersandAmpersandEqualsToken ||
    kind === ts.SyntaxKind.BarBarEqualsToken ||
    kind === ts.SyntaxKind.QuestionQuestionEqualsToken
  );
}

function alwaysExits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement) || ts.isBreakStatement(statement) || ts.isContinueStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return last !== undefined && alwaysExits(last);
  }
  if (ts.isIfStatement(statement)) return statement.elseStatement !== undefined && alwaysExits(statement.thenStatement) && alwaysExits(statement.elseStatement);
  return false;
}
