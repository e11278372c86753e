/**
 * Which copy of tributaryjs runs flows and the local server for a folder: the workspace's own
 * (found from the folder as Node finds it, the way the ESLint and Prettier extensions use the
 * workspace's library) in a trusted workspace, else the extension's bundled copy. A workspace
 * version that does not match the extension's (see version-compat.ts) is reported once per
 * workspace and version, with what to do.
 */
import path from "node:path";
import * as vscode from "vscode";
import { findPackage } from "../../../server/src/workspace-package/find-package.js";
import { planInstall } from "../../../server/src/workspace-package/package-manager.js";
import { compareVersions, matchingRange } from "../../../server/src/workspace-package/version-compat.js";
import type { Ctx } from "../ctx.js";
import { bundledCliPath, bundledRuntimeRoot, bundledVersion } from "./bundled-runtime.js";
import type { FlowRuntime } from "./flow-runtime-choice.js";

export interface RuntimeCopy {
  source: "workspace" | "bundled";
  version: string;
  /** The package folder. */
  root: string;
  /** The script `node` runs as the `tributary` CLI. */
  cliPath: string;
  /** "tributaryjs 0.1.0 from the workspace (/p/node_modules/tributaryjs)" or "bundled tributaryjs 0.1.0". */
  label: string;
  /** Why the workspace's copy is not the one used, when there is one. */
  note?: string;
}

/** workspaceState key: the `root@version`s already reported as not matching the extension. */
const WARNED_KEY = "tributary.mismatchReported";
const MANIFESTS = "**/{package.json,package-lock.json,npm-shrinkwrap.json,pnpm-lock.yaml,yarn.lock,bun.lock,bun.lockb}";

export class RuntimeCopies implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  /** Fires when an install, an upgrade or a grant of trust may have changed which copy is used. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly ctx: Ctx) {
    const watcher = vscode.workspace.createFileSystemWatcher(MANIFESTS);
    const changed = () => this.changeEmitter.fire();
    this.disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed), vscode.workspace.onDidGrantWorkspaceTrust(changed));
  }

  /** The copy for code in `dir` (a workspace folder, or a flow file's folder). */
  for(dir: string): RuntimeCopy {
    const version = bundledVersion(this.ctx);
    const bundled: RuntimeCopy = { source: "bundled", version, root: bundledRuntimeRoot(this.ctx), cliPath: bundledCliPath(this.ctx), label: `bundled tributaryjs ${version}` };
    const found = findPackage(dir);
    if (found.kind === "missing") return bundled;
    if (found.kind === "broken") return { ...bundled, note: `the workspace's tributaryjs cannot be used: ${found.problem}` };
    const { pkg } = found;
    const label = `tributaryjs ${pkg.version} from the workspace (${pkg.root})`;
    if (!vscode.workspace.isTrusted) return { ...bundled, note: `${label} is not used in Restricted Mode: code from the workspace's node_modules runs only in a trusted workspace` };
    return { source: "workspace", version: pkg.version, root: pkg.root, cliPath: pkg.cliPath, label };
  }

  /** The copy of the first workspace folder (the one whose store the local server uses), for the status bar. */
  forFirstFolder(): RuntimeCopy | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? this.for(folder.uri.fsPath) : undefined;
  }

  /** Logs which copy `what` uses, on which runtime, and, once per workspace and version, warns about a mismatch. */
  use(copy: RuntimeCopy, what: string, runtime: FlowRuntime): RuntimeCopy {
    this.ctx.log.info(`${what} uses ${copy.label}${copy.note ? ` (${copy.note})` : ""} on ${runtime.label}`);
    this.reportMismatch(copy);
    return copy;
  }

  /** Checks every workspace folder's copy: at activation and when a package may have changed. */
  checkFolders(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.reportMismatch(this.for(folder.uri.fsPath));
  }

  private reportMismatch(copy: RuntimeCopy): void {
    if (copy.source !== "workspace") return;
    const extensionVersion = this.ctx.extension.extension.packageJSON.version as string;
    const compatibility = compareVersions(copy.version, extensionVersion);
    if (compatibility.compatible) return;
    const key = `${copy.root}@${copy.version}`;
    const reported = this.ctx.extension.workspaceState.get<string[]>(WARNED_KEY, []);
    if (reported.includes(key)) return;
    void this.ctx.extension.workspaceState.update(WARNED_KEY, [...reported, key]);
    const install = planInstall(path.dirname(path.dirname(copy.root))).command.replace(/tributaryjs$/, `tributaryjs@${matchingRange(extensionVersion)}`);
    const message = `This workspace has tributaryjs ${copy.version} and the Tributary extension is ${extensionVersion}: ${compatibility.reason}. Flows and the local server run with the workspace's version, which this extension may not understand. Upgrade the extension to a version made for tributaryjs ${copy.version}, or install a matching package (\`${install}\`).`;
    this.ctx.log.warn(message);
    void vscode.window.showWarningMessage(message, "Show Log").then((choice) => {
      if (choice === "Show Log") this.ctx.log.show();
    });
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
