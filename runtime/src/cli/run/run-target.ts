/**
 * The `<file.ts>[:<export or flow name>]` argument of `tributary run`, and the checks on the file
 * that can be made without loading it.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { PathApi } from "../../file-paths.js";
import { UsageError } from "../../errors.js";
import { didYouMean } from "../did-you-mean.js";

export interface RunTarget {
  /** Absolute path of the flow file. */
  file: string;
  /** The file as the user wrote it, for messages. */
  displayFile: string;
  /** The export or flow name after `:`, when given. */
  name?: string;
}

export const FLOW_FILE_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".jsx"] as const;

/** `p` is `node:path`, or `path.win32` in tests. */
export function parseRunTarget(spec: string, cwd: string, p: PathApi = path): RunTarget {
  const colon = spec.lastIndexOf(":");
  // `C:\flows\etl.ts` has a colon that is a drive letter, and `a:b/c.ts` a colon inside a path.
  const isDrive = colon === 1 && /^[A-Za-z]$/.test(spec[0]!);
  const after = colon < 0 ? "" : spec.slice(colon + 1);
  const splits = colon > 0 && !isDrive && !/[\\/]/.test(after);
  const displayFile = splits ? spec.slice(0, colon) : spec;
  if (displayFile.trim() === "") throw new UsageError(`No flow file given in ${JSON.stringify(spec)}; run a file such as "tributary run flows.ts".`);
  const target: RunTarget = { file: p.resolve(cwd, displayFile), displayFile };
  if (splits) {
    if (after.trim() === "") {
      throw new UsageError(`Nothing follows ":" in ${JSON.stringify(spec)}; name an export or flow (${displayFile}:myFlow) or leave the ":" out.`);
    }
    target.name = after;
  }
  return target;
}

/** Fails with a usage error unless the target is an existing file of a kind esbuild can bundle. */
export function checkFlowFile(target: RunTarget): void {
  if (!existsSync(target.file)) {
    const suggestion = suggestSibling(target);
    throw new UsageError(
      `File not found: ${target.displayFile} (looked in ${path.dirname(target.file)}).${suggestion || " Check the path; it is relative to the current directory."}`,
    );
  }
  if (statSync(target.file).isDirectory()) {
    throw new UsageError(`${target.displayFile} is a directory; name the flow file in it, such as ${path.join(target.displayFile, "flows.ts")}.`);
  }
  const extension = path.extname(target.file);
  if (!(FLOW_FILE_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new UsageError(
      `${target.displayFile} is not a flow file: expected a TypeScript or JavaScript file (${FLOW_FILE_EXTENSIONS.join(", ")}) that exports a flow.`,
    );
  }
}

function suggestSibling(target: RunTarget): string {
  let siblings: string[];
  try {
    siblings = readdirSync(path.dirname(target.file)).filter((name) => (FLOW_FILE_EXTENSIONS as readonly string[]).includes(path.extname(name)));
  } catch {
    return "";
  }
  const suggestion = didYouMean(path.basename(target.file), siblings);
  return suggestion === undefined ? "" : ` Did you mean ${path.join(path.dirname(target.displayFile), suggestion)}?`;
}
