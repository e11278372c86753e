import { ts } from "ts-morph";
import type { Declaration, FileSummary } from "./file-summary.js";
import { locOf, unwrapExpression } from "./node-location.js";
import { readModuleBindings } from "./read-module-bindings.js";
import { typeDeclarationSchema, type TypeDeclarations } from "./read-parameter-schema.js";
import { readSuppressions } from "./read-suppressions.js";
import { sourceKindOf, type SourceKind } from "./source-kind.js";
import { surfaceKey } from "./surface-key.js";
import { CallWalker } from "./walk-calls.js";

/**
 * Parses one file with the TypeScript parser (no type checker, no other file) and keeps what
 * analysis needs. Code with syntax errors still gives a summary of what the parser recovered.
 */
export function summarizeFile(file: string, text: string): FileSummary {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const bindings = readModuleBindings(sf);
  const walker = new CallWalker(sf, bindings);
  walker.walk();
  const declarations = readDeclarations(sf, walker, bindings.types);
  const parts = { imports: bindings.imports, exports: bindings.exports, reexports: bindings.reexports, declarations, calls: walker.calls, containers: walker.containers };
  return {
    file,
    importsTributary: bindings.importsTributary,
    ...parts,
    suppressions: readSuppressions(text, sf),
    surfaceKey: surfaceKey(parts),
  };
}

function readDeclarations(sf: ts.SourceFile, walker: CallWalker, types: TypeDeclarations): Map<string, Declaration> {
  const declarations = new Map<string, Declaration>();
  const add = (declaration: Declaration) => declarations.set(declaration.name, declaration);
  for (const statement of sf.statements) {
    if (ts.isVariableStatement(statement)) {
      const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const d of statement.declarationList.declarations) {
        if (isConst && d.initializer && ts.isObjectBindingPattern(d.name) && !isRequire(d.initializer)) {
          readDestructured(d.name, d.initializer, walker, sf).forEach(add);
          continue;
        }
        if (!ts.isIdentifier(d.name)) continue;
        const name = d.name.text;
        const init = d.initializer && unwrapExpression(d.initializer);
        const containerId = init && walker.containerIds.get(init);
        if (containerId !== undefined && walker.containers[containerId]?.kind === "helper") add({ kind: "function", name, containerId, loc: locOf(d, sf) });
        else if (isConst && d.initializer) add({ kind: "const", name, init: walker.reader.read(d.initializer, undefined), loc: locOf(d, sf) });
        else add({ kind: "other", name, loc: locOf(d, sf) });
      }
    } else if (ts.isFunctionDeclaration(statement)) {
      const containerId = walker.containerIds.get(statement);
      const name = containerId !== undefined ? walker.containers[containerId]!.name! : undefined;
      if (name !== undefined && containerId !== undefined) add({ kind: "function", name, containerId, loc: locOf(statement, sf) });
    } else if (ts.isExportAssignment(statement)) {
      const expr = unwrapExpression(statement.expression);
      if (ts.isIdentifier(expr)) continue;
      const containerId = walker.containerIds.get(expr);
      if (containerId !== undefined) add({ kind: "function", name: "default", containerId, loc: locOf(statement, sf) });
      else add({ kind: "const", name: "default", init: walker.reader.read(statement.expression, undefined), loc: locOf(statement, sf) });
    } else if ((ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      add({ kind: "other", name: statement.name.text, loc: locOf(statement, sf) });
    }
  }
  // Types last: a value of the same name is what other files' values refer to.
  for (const [name, declaration] of types) {
    if (!declarations.has(name)) add({ kind: "type", name, ...typeDeclarationSchema(declaration, types), loc: locOf(declaration, sf) });
  }
  return declarations;
}

/** `const { load, clean: tidy } = pipeline`: each name is the property of the initializer. */
function readDestructured(pattern: ts.ObjectBindingPattern, initializer: ts.Expression, walker: CallWalker, sf: ts.SourceFile): Declaration[] {
  const init = walker.reader.read(initializer, undefined);
  return pattern.elements.flatMap((element): Declaration[] => {
    const key = element.propertyName ?? element.name;
    if (!ts.isIdentifier(element.name)) return [];
    const name = element.name.text;
    const loc = locOf(element, sf);
    if (element.dotDotDotToken || element.initializer || !(ts.isIdentifier(key) || ts.isStringLiteral(key))) return [{ kind: "other", name, loc }];
    return [{ kind: "const", name, init: walker.reader.member(init, key.text, loc, name), loc }];
  });
}

/** `require("…")`: its names are imports (`read-module-bindings.ts`). */
function isRequire(initializer: ts.Expression): boolean {
  const init = unwrapExpression(initializer);
  return ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === "require";
}

const SCRIPT_KINDS: Record<SourceKind, ts.ScriptKind> = { ts: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX, js: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX };

export function scriptKindOf(file: string): ts.ScriptKind {
  return SCRIPT_KINDS[sourceKindOf(file)];
}
