/**
 * The HTML of a graph webview: local resources only (dist/webview, media) under a strict Content
 * Security Policy: no inline script or style, one script by nonce, images only from the extension,
 * workers only from blobs (which only that script can make).
 */
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";

function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, "dist", "webview"), vscode.Uri.joinPath(extensionUri, "media")];
}

export interface GraphPanelOptions {
  viewType: string;
  /** The tab's title. */
  title: string;
  column: vscode.ViewColumn;
  /** The bundled script in dist/webview/. */
  script: string;
  /** The HTML document's title and the body's markup. */
  documentTitle: string;
  body: string;
}

/** A graph webview panel with the extension's icon, scripts enabled and only local resources. */
export function openGraphPanel(extensionUri: vscode.Uri, options: GraphPanelOptions): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(options.viewType, options.title, options.column, {
    enableScripts: true,
    localResourceRoots: webviewRoots(extensionUri),
  });
  panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "tributary.svg");
  panel.webview.html = webviewHtml(panel.webview, extensionUri, options.script, options.documentTitle, options.body);
  return panel;
}

function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, script: string, title: string, body: string): string {
  const nonce = randomBytes(16).toString("base64");
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "webview", script));
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "media", "graph.css"));
  // worker-src blob: the dependency graph's layout worker, started from a blob its own script makes.
  const csp = [`default-src 'none'`, `img-src ${webview.cspSource} data:`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`, `worker-src blob:`].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri.toString()}">
<title>${title}</title>
</head>
<body>
${body}
<script nonce="${nonce}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
}
