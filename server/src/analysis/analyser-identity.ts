/**
 * What the caches under `.tributary/cache/` depend on besides their inputs: this analyser — the
 * summary format, the tributaryjs package version, the parser (`load-parser.ts`), and the size and
 * time of the analysis module's own file, so a rebuilt analyser never reads an older one's entries.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parserIdentity } from "./load-parser.js";
import { SUMMARY_FORMAT_VERSION } from "./summary-codec.js";

let identity: string | undefined;

export function analyserIdentity(): string {
  return (identity ??= [`format ${SUMMARY_FORMAT_VERSION}`, `tributaryjs ${packageVersion()}`, parserIdentity(), `build ${buildStamp()}`].join("\n"));
}

/** The version of the tributaryjs package this analysis is part of (runtime/dist/analysis → runtime/package.json). */
function packageVersion(): string {
  for (let dir = __dirname, i = 0; i < 4; i++, dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (manifest.name === "tributaryjs" && typeof manifest.version === "string") return manifest.version;
    } catch {
      // No package.json here: look further up.
    }
  }
  return "unknown";
}

/** The analysis module's own file (the built bundle): a new build is a new analyser. */
function buildStamp(): string {
  try {
    const info = statSync(__filename);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return "unknown";
  }
}
