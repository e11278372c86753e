import { ts } from "ts-morph";
import type { CallSite, CalleePath, Container } from "./file-summary.js";
import { LocalScope } from "./local-scope.js";
import { isFunctionLiteral, isTransparentWrapper, locOf, unwrapExpression } from "./node-location.js";
import type { ModuleBindings } from "./read-module-bindings.js";
import { readParameterSchema } from "./read-parameter-schema.js";
import { StaticReader } from "./read-static-expr.js";
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

  /** Tracked functions start their own context; any other function runs maybe never: its calls are guarded. */
  private visitFunction(fn: ts.SignatureDeclaration, ctx: WalkContext): void {
    const containerId = this.containerIds.get(fn);
    const scope = LocalScope.forFunction(fn, ctx.scope);
    const inner: WalkContext =
      containerId !== undefined
        ? { containerId, guard: undefined, scope }
        : { containerId: ctx.containerId, guard: ctx.guard ?? locOf(fn, this.sf), scope };
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
    const callee = calleePath(calleeExpr);
    if (!callee || ctx.scope?.lookup(callee.root) !== undefined || !this.bindings.names.has(callee.root)) {
      ts.forEachChild(node, (child) => this.visit(child, ctx));
      return;
    }
    const id = this.calls.length;
    this.calls.push(undefined as unknown as CallSite);
    this.callIds.set(node, id);
    for (const argument of node.arguments) {
      const fn = unwrapExpression(argument);
      if (isFunctionLiteral(fn)) this.addContainer(fn, "call-argument", ctx.containerId, id, undefined, ctx.guard ?? locOf(fn, this.sf));
    }
    if (withOptions) for (const argument of withOptions.arguments) this.visit(argument, ctx);
    for (const argument of node.arguments) this.visit(argument, ctx);
    const usage = usageOf(node);
    this.calls[id] = {
      id,
      callee,
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

function calleePath(expr: ts.Expression): CalleePath | undefined {
  const props: string[] = [];
  let current = expr;
  while (ts.isPropertyAccessExpression(current)) {
    props.unshift(current.name.text);
    current = unwrapExpression(current.expression);
  }
  return ts.isIdentifier(current) ? { root: current.text, props } : undefined;
}

function usageOf(node: ts.CallExpression): Pick<CallSite, "discarded" | "voided" | "boundTo"> {
  let parent = outerParent(node);
  if (ts.isExpressionStatement(parent)) return { discarded: true, voided: false, boundTo: undefined };
  if (ts.isVoidExpression(parent)) return { discarded: true, voided: true, boundTo: undefined };
  if (ts.isAwaitExpression(parent)) parent = outerParent(parent);
  const boundTo = ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
  return { discarded: false, voided: false, boundTo };
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
