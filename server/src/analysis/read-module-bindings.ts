import { ts } from "ts-morph";
import type { ImportBinding, ReExport } from "./file-summary.js";
import { isFunctionLiteral, unwrapExpression } from "./node-location.js";

/** What the top level of a file binds and exports, read before its bodies are walked. */
export interface ModuleBindings {
  imports: Map<string, ImportBinding>;
  exports: Map<string, string>;
  reexports: ReExport[];
  /** Every name bound at module level. */
  names: Set<string>;
  /** Top-level functions that are helpers: name → the function node. */
  helpers: Map<string, ts.SignatureDeclaration>;
  types: Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;
  importsTributary: boolean;
}

import { TRIBUTARY_MODULE } from "./tributary-module.js";

export { TRIBUTARY_MODULE };

export function readModuleBindings(sf: ts.SourceFile): ModuleBindings {
  const bindings: ModuleBindings = {
    imports: new Map(),
    exports: new Map(),
    reexports: [],
    names: new Set(),
    helpers: new Map(),
    types: new Map(),
    importsTributary: false,
  };
  for (const statement of sf.statements) readStatement(statement, bindings);
  return bindings;
}

function readStatement(statement: ts.Statement, b: ModuleBindings): void {
  if (ts.isImportDeclaration(statement)) {
    if (!ts.isStringLiteral(statement.moduleSpecifier)) return;
    const specifier = statement.moduleSpecifier.text;
    if (specifier === TRIBUTARY_MODULE) b.importsTributary = true;
    const clause = statement.importClause;
    if (!clause) return;
    if (clause.name) addImport(b, clause.name.text, specifier, "default");
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) addImport(b, named.name.text, specifier, "*");
    else if (named) for (const element of named.elements) addImport(b, element.name.text, specifier, (element.propertyName ?? element.name).text);
    return;
  }
  if (ts.isExportDeclaration(statement)) {
    readExportDeclaration(statement, b);
    return;
  }
  if (ts.isExportAssignment(statement)) {
    const expr = unwrapExpression(statement.expression);
    b.exports.set("default", ts.isIdentifier(expr) ? expr.text : "default");
    if (!ts.isIdentifier(expr)) b.names.add("default");
    if (isFunctionLiteral(expr)) b.helpers.set("default", expr);
    return;
  }
  if (ts.isExpressionStatement(statement)) {
    readCommonJsExports(statement.expression, b);
    return;
  }
  const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
  const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
  if (ts.isVariableStatement(statement)) {
    const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of statement.declarationList.declarations) {
      if (readRequire(declaration, b)) continue;
      for (const name of bindingNames(declaration.name)) {
        b.names.add(name);
        if (exported) b.exports.set(name, name);
      }
      const init = declaration.initializer && unwrapExpression(declaration.initializer);
      if (isConst && ts.isIdentifier(declaration.name) && init && isFunctionLiteral(init)) b.helpers.set(declaration.name.text, init);
    }
    return;
  }
  if (ts.isFunctionDeclaration(statement)) {
    const name = statement.name?.text ?? (isDefault ? "default" : undefined);
    if (name === undefined || !statement.body) return;
    b.names.add(name);
    b.helpers.set(name, statement);
    if (exported) b.exports.set(isDefault ? "default" : name, name);
    return;
  }
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
    b.types.set(statement.name.text, statement);
    // Another file's flow may take it as its parameters' type.
    if (exported) b.exports.set(isDefault ? "default" : statement.name.text, statement.name.text);
    return;
  }
  if ((ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
    b.names.add(statement.name.text);
    if (exported) b.exports.set(isDefault ? "default" : statement.name.text, statement.name.text);
  }
}

function readExportDeclaration(statement: ts.ExportDeclaration, b: ModuleBindings): void {
  const specifier = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
  // `export type { Params }` may carry a flow's parameter types; types of tributaryjs make no facade.
  if (statement.isTypeOnly && specifier === TRIBUTARY_MODULE) return;
  if (specifier === TRIBUTARY_MODULE) b.importsTributary = true;
  const clause = statement.exportClause;
  if (specifier !== undefined) {
    if (!clause) b.reexports.push({ kind: "star", specifier });
    else if (ts.isNamespaceExport(clause)) b.reexports.push({ kind: "namespace", specifier, exported: clause.name.text });
    else for (const e of clause.elements) b.reexports.push({ kind: "named", specifier, imported: (e.propertyName ?? e.name).text, exported: e.name.text });
    return;
  }
  if (clause && ts.isNamedExports(clause)) for (const e of clause.elements) b.exports.set(e.name.text, (e.propertyName ?? e.name).text);
}

/**
 * CommonJS exports of names bound in the file: `module.exports = { a, b: c }`,
 * `module.exports = a` (the default export), `exports.a = b` and `module.exports.a = b`.
 */
function readCommonJsExports(expression: ts.Expression, b: ModuleBindings): void {
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const target = expression.left.getText();
  const value = unwrapExpression(expression.right);
  if (target === "module.exports") {
    if (ts.isIdentifier(value)) b.exports.set("default", value.text);
    if (!ts.isObjectLiteralExpression(value)) return;
    for (const property of value.properties) {
      if (ts.isShorthandPropertyAssignment(property)) b.exports.set(property.name.text, property.name.text);
      else if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && ts.isIdentifier(unwrapExpression(property.initializer))) {
        b.exports.set(property.name.text, (unwrapExpression(property.initializer) as ts.Identifier).text);
      }
    }
    return;
  }
  const named = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(target);
  if (named && ts.isIdentifier(value)) b.exports.set(named[1]!, value.text);
}

/** `const { flow } = require("tributaryjs")` and `const tr = require("tributaryjs")`. */
function readRequire(declaration: ts.VariableDeclaration, b: ModuleBindings): boolean {
  const init = declaration.initializer && unwrapExpression(declaration.initializer);
  if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== "require") return false;
  const arg = init.arguments[0];
  if (!arg || !ts.isStringLiteral(arg)) return false;
  const specifier = arg.text;
  if (specifier === TRIBUTARY_MODULE) b.importsTributary = true;
  if (ts.isIdentifier(declaration.name)) addImport(b, declaration.name.text, specifier, "*");
  else if (ts.isObjectBindingPattern(declaration.name)) {
    for (const element of declaration.name.elements) {
      const imported = element.propertyName ?? element.name;
      if (ts.isIdentifier(element.name) && ts.isIdentifier(imported)) addImport(b, element.name.text, specifier, imported.text);
    }
  }
  return true;
}

function addImport(b: ModuleBindings, local: string, specifier: string, imported: string): void {
  b.imports.set(local, { specifier, imported });
  b.names.add(local);
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}
