/**
 * One line for a flow file that threw while it was loading: what it threw and where, found in the
 * stack (source-mapped, so it points at the user's file rather than the bundle).
 */
import path from "node:path";
import { toError } from "../../errors.js";

export function describeLoadError(thrown: unknown, file: string, displayFile: string, cwd: string): string {
  const error = toError(thrown);
  const message = `${error.name}: ${error.message.split("\n", 1)[0]}`;
  const where = locate(error.stack ?? "", file, cwd);
  return `${displayFile} threw while loading: ${message}${where ? ` (at ${where})` : ""}. Fix the file and run again.`;
}

function locate(stack: string, file: string, cwd: string): string | undefined {
  for (const line of stack.split("\n")) {
    const at = line.indexOf(file);
    if (at < 0) continue;
    const match = /^(.*?):(\d+):(\d+)/.exec(line.slice(at));
    if (match) return `${path.relative(cwd, match[1]!) || match[1]}:${match[2]}:${match[3]}`;
  }
  return undefined;
}
