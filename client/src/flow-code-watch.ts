/**
 * Tells when the workspace has flow code: a TS/JS document that imports "tributaryjs" is open, or
 * a workspace folder's package.json depends on "tributaryjs" (a project whose flow files import
 * the package only through a module of its own that re-exports it, never naming it). The
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

  private done = false;

  start(): void {
    if (vscode.workspace.textDocuments.some(isFlowDocument)) {
      this.found();
      return;
    }
    this.subscription = vscode.workspace.onDidOpenTextDocument((document) => {
      if (isFlowDocument(document)) this.found();
    });
    void this.checkDependencies();
  }

  /** A folder whose package.json depends on the package has flow code, whatever its files import. */
  private async checkDependencies(): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      try {
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, "package.json"));
        const manifest = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
        const lists = [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies];
        if (lists.some((list) => typeof list === "object" && list !== null && "tributaryjs" in list)) {
          this.found();
          return;
        }
      } catch {
        // No package.json, or one that does not parse: the open documents decide.
      }
    }
  }

  private found(): void {
    if (this.done) return;
    this.done = true;
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
