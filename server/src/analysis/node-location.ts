import { ts } from "ts-morph";
import type { Loc } from "./source-location.js";

/** The span of a node without its leading trivia. */
export function locOf(node: ts.Node, sourceFile: ts.SourceFile): Loc {
  return locOfSpan(node.getStart(sourceFile), node.getEnd(), sourceFile);
}

export function locOfSpan(start: number, end: number, sourceFile: ts.SourceFile): Loc {
  const s = sourceFile.getLineAndCharacterOfPosition(start);
  const e = sourceFile.getLineAndCharacterOfPosition(end);
  return { start, end, range: { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } } };
}

/** Parentheses and type-only wrappers (`as`, `!`, `satisfies`, `<T>x`): they change no value. */
export function isTransparentWrapper(
  node: ts.Node,
): node is ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression | ts.SatisfiesExpression | ts.TypeAssertion {
  return (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isTypeAssertionExpression(node)
  );
}

/** Strips parentheses and type-only wrappers. */
export function unwrapExpression(node: ts.Expression): ts.Expression {
  let current = node;
  while (isTransparentWrapper(current)) current = current.expression;
  return current;
}

export function isFunctionLiteral(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** A short, one-line text of a node for messages. */
export function shortText(node: ts.Node, sourceFile: ts.SourceFile, max = 40): string {
  const text = node.getText(sourceFile).replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
