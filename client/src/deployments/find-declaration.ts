/**
 * Where deployments and automations are declared, found by plain text search (no analysis needed):
 * which files declare any (the test `tributary deploy` uses), and the offset of the `deploy(` or
 * `automation(` call that declares one by name. vscode-free.
 */

/** Whether a flow file declares deployments or automations, as `tributary deploy` decides it. */
export function declaresDeploymentsOrAutomations(fileName: string, text: string): boolean {
  if (!/\.(ts|mts|cts|js|mjs|cjs)$/.test(fileName) || fileName.endsWith(".d.ts") || fileName.includes(".test.")) return false;
  return /from\s+["']tributaryjs["']/.test(text) && /\b(deploy|automation)\s*\(/.test(text);
}

/** `path/to/file.ts:exportName` → its file part (a Windows drive letter's colon is kept). */
export function entrypointFile(entrypoint: string): string {
  const colon = entrypoint.lastIndexOf(":");
  return colon > 1 ? entrypoint.slice(0, colon) : entrypoint;
}

/**
 * The offset of the `deploy(` call that names `name` (the part after `<flow>/`), else of the first
 * `deploy(` call, else undefined.
 */
export function findDeployCall(text: string, name: string): number | undefined {
  const calls = [...text.matchAll(/\bdeploy\s*\(/g)].map((m) => m.index);
  if (calls.length === 0) return undefined;
  const named = new RegExp(`\\bname\\s*:\\s*(["'\`])${escape(name)}\\1`).exec(text);
  if (named) {
    const before = calls.filter((offset) => offset < named.index);
    if (before.length > 0) return before[before.length - 1];
  }
  return calls[0];
}

/** The offset of `automation("name"`, or undefined. */
export function findAutomationCall(text: string, name: string): number | undefined {
  return new RegExp(`\\bautomation\\s*\\(\\s*(["'\`])${escape(name)}\\1`).exec(text)?.index;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
