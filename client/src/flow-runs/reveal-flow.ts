/**
 * "Reveal Flow in Editor": opens the file of a run's entrypoint at the flow's `flow(` call. A run
 * without an entrypoint (a subflow called in process) is looked for by its flow name in the
 * workspace's TypeScript and JavaScript files.
 */
import path from "node:path";
import * as vscode from "vscode";
import type { FlowRunRecord } from "../server/tributary-api.js";
import { findDefinition, splitEntrypoint } from "./flow-definition.js";

const SOURCE_GLOB = "**/*.{ts,mts,cts,tsx,js,mjs,cjs,jsx}";
const MAX_FILES = 2000;

export async function findFlowDefinition(run: Pick<FlowRunRecord, "flowName" | "entrypoint">): Promise<{ uri: vscode.Uri; line: number; character: number } | undefined> {
  if (run.entrypoint !== undefined) {
    const { file, exportName } = splitEntrypoint(run.entrypoint);
    for (const uri of candidates(file)) {
      const text = await readText(uri);
      if (text === undefined) continue;
      return { uri, ...(findDefinition(text, exportName, run.flowName) ?? { line: 0, character: 0 }) };
    }
  }
  for (const uri of await vscode.workspace.findFiles(SOURCE_GLOB, "**/{node_modules,dist,.tributary}/**", MAX_FILES)) {
    const text = await readText(uri);
    const found = text !== undefined && text.includes(run.flowName) ? findDefinition(text, undefined, run.flowName) : undefined;
    if (found) return { uri, ...found };
  }
  return undefined;
}

function candidates(file: string): vscode.Uri[] {
  if (path.isAbsolute(file)) return [vscode.Uri.file(file)];
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => vscode.Uri.joinPath(folder.uri, file));
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
