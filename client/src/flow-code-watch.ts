/**
 * Tells when the workspace has flow code: a TS/JS document that imports "tributaryjs" is open. The
 * extension activates on any TypeScript or JavaScript file (a `workspaceContains` pattern cannot
 * look inside files), and starts the language server only once this says yes.
 */
import * as vscode from "vscode";

export const FLOW_LANGUAGES = ["typescript", "javascript", "typescriptreact", "javascriptreact"] as const;

/** The cheap text filter the analysis uses too: an import or require of "tributaryjs". */
const IMPORTS_TRIBUTARY = /\bfrom\s*["']tributaryjs["']|\brequire\(\s*["']tributaryjs["']\s*\)|\bimport\(\s*["']tributaryjs["']\s*\)/;

export function isFlowDocument(document: vscode.TextDocument): boolean {
  return (FLOW_LANGUAGES as readonly string[]).includes(document.languageId) && IMPORTS_TRIBUTARY.test(document.getText());
}

export class FlowCodeWatch implements vscode.Disposable {
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly onFlowCode: () => void) {}

  start(): void {
    if (vscode.workspace.textDocuments.some(isFlowDocument)) {
      this.found();
      return;
    }
    this.subscription = vscode.workspace.onDidOpenTextDocument((document) => {
      if (isFlowDocument(document)) this.found();
    });
  }

  private found(): void {
    this.dispose();
    this.onFlowCode();
  }

  dispose(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
  }
}

/** Keeps the context key `tributary.flowFile` (the editor title's graph button) true while the active editor shows flow code. */
export function trackFlowFileContext(): vscode.Disposable {
  const update = () => {
    const document = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand("setContext", "tributary.flowFile", document !== undefined && isFlowDocument(document));
  };
  update();
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document === vscode.window.activeTextEditor?.document) update();
    }),
  );
}
