import { CodeActionKind, type CodeAction, type Diagnostic } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding } from "./analysis/index.js";
import type { DiagnosticData } from "./to-diagnostic.js";
import { uriToPath } from "./file-uris.js";
import { UNRESOLVED_PACKAGE } from "./package-imports.js";
import { Commands, type InstallPackageArguments } from "./protocol.js";

const LINE_BREAK = /\r\n|\n|\r/;

/**
 * Quick fixes for Tributary diagnostics: "Change to …" for an unknown deployment or flow name
 * (TRB110/TRB111, from the finding's did-you-mean names), and for every code a suppression comment
 * on the line above, with that line's indentation; for TRB160 (tributaryjs not installed) "Install
 * tributaryjs", which the extension runs with the project's package manager (no suppression: the
 * fix is to install).
 */
export function codeActionsFor(document: TextDocument, diagnostics: readonly Diagnostic[], findingsOf: (d: Diagnostic) => Finding | undefined): CodeAction[] {
  const actions: CodeAction[] = [];
  const suppressed = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== "tributary" || typeof diagnostic.code !== "string") continue;
    const code = diagnostic.code;
    if (code === UNRESOLVED_PACKAGE) {
      const file = (diagnostic.data as Partial<InstallPackageArguments> | undefined)?.file;
      const args: InstallPackageArguments = { file: typeof file === "string" ? file : (uriToPath(document.uri) ?? document.uri) };
      actions.push({ title: "Install tributaryjs", kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, command: { title: "Install tributaryjs", command: Commands.installPackage, arguments: [args] } });
      continue;
    }
    if (code === "TRB110" || code === "TRB111") {
      const suggestions = (diagnostic.data as DiagnosticData | undefined)?.suggestions ?? findingsOf(diagnostic)?.suggestions ?? [];
      const written = document.getText(diagnostic.range);
      const quote = written[0];
      if ((quote === '"' || quote === "'" || quote === "`") && written.endsWith(quote)) {
        suggestions.slice(0, 3).forEach((name, i) => {
          actions.push({
            title: `Change to "${name}"`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: i === 0,
            edit: { changes: { [document.uri]: [{ range: diagnostic.range, newText: `${quote}${name}${quote}` }] } },
          });
        });
      }
    }
    const line = diagnostic.range.start.line;
    if (suppressed.has(`${line}:${code}`)) continue;
    suppressed.add(`${line}:${code}`);
    const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
    const indentation = /^[ \t]*/.exec(text)![0];
    // The file's own line break: a CRLF file stays CRLF.
    const lineBreak = LINE_BREAK.exec(text)?.[0] ?? LINE_BREAK.exec(document.getText())?.[0] ?? "\n";
    actions.push({
      title: `Suppress ${code} on this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [document.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indentation}// tributary-ignore-next-line ${code} -- reason${lineBreak}` }] } },
    });
  }
  return actions;
}
