/**
 * Which copy of the analysis a workspace folder gets: the one of the folder's own tributaryjs
 * (found as Node would find it, loaded from its `./analysis` export) when the workspace is trusted
 * and that copy speaks this server's analysis API version; else the copy bundled with the server.
 * Loading a workspace's copy runs code from its node_modules, hence the trust condition.
 *
 * The bundled copy is not bundled into the server either: it is loaded at run time from the
 * package tributaryjs that rides beside the server (`runtime/dist/analysis/analysis-cli.js`, the
 * package's `./analysis` export), so the extension carries the TypeScript compiler once.
 */
import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { AnalysisApi } from "./analysis/analysis-api.js";
import { ANALYSIS_API_VERSION } from "./analysis/analysis-api-version.js";
import { findPackage } from "./workspace-package/find-package.js";

export interface AnalysisCopy {
  api: AnalysisApi;
  /** What the log says: "tributaryjs 0.2.0 from the workspace (/p/node_modules/tributaryjs)" or "bundled tributaryjs 0.1.0". */
  description: string;
  /** Equal keys mean the same copy: a folder whose key changes gets a new project. */
  key: string;
}

export interface AnalysisChoice {
  copy: AnalysisCopy;
  /** Why a workspace copy was not used, when there is one. */
  note?: string;
}

const nodeRequire = createRequire(__filename);

/** The bundled package: `runtime/` beside `dist/` in the extension and in the repository (beside `server/` when run from sources). */
const BUNDLED_PACKAGE = path.resolve(__dirname, "../../runtime");

/**
 * The bundled copy, loaded from the bundled package. Without it the server cannot analyse
 * anything, so a missing or mismatched build is an error that says how to get a whole one.
 */
export function bundledAnalysis(): AnalysisCopy {
  const file = bundledAnalysisFile();
  const remedy = "Reinstall the Tributary extension (in a checkout of the repository: run `npm run build`).";
  let api: AnalysisApi | undefined;
  try {
    api = (nodeRequire(file) as { analysisApi?: AnalysisApi }).analysisApi;
  } catch (error) {
    throw new Error(`The language server cannot load its analysis from ${file}: ${(error as Error).message}. ${remedy}`, { cause: error });
  }
  if (api?.apiVersion !== ANALYSIS_API_VERSION) {
    throw new Error(`The analysis at ${file} speaks analysis API version ${String(api?.apiVersion ?? "none")}, this language server ${ANALYSIS_API_VERSION}: they come from different builds. ${remedy}`);
  }
  let version = "";
  try {
    version = (JSON.parse(readFileSync(path.join(BUNDLED_PACKAGE, "package.json"), "utf8")) as { version?: string }).version ?? "";
  } catch {
    // An unusual layout: the copy is still the bundled one.
  }
  return { api, description: `bundled tributaryjs${version === "" ? "" : ` ${version}`}`, key: "bundled" };
}

function bundledAnalysisFile(): string {
  return path.join(BUNDLED_PACKAGE, "dist", "analysis", "analysis-cli.js");
}

/** The real path of a file (what `require.resolve` gives), or the path itself when it cannot be read. */
function realPathOf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

export class AnalysisCopies {
  readonly bundled = bundledAnalysis();
  /** Which package version each loaded analysis file came from. */
  private readonly loadedKeys = new Map<string, string>();

  /** @param trusted whether the client said the workspace is trusted (`initializationOptions.workspaceTrusted`) */
  constructor(private readonly trusted: boolean) {}

  choose(folder: string): AnalysisChoice {
    const bundled = this.bundled;
    const found = findPackage(folder);
    if (found.kind === "missing") return { copy: bundled };
    if (found.kind === "broken") return { copy: bundled, note: `the workspace's tributaryjs cannot be used: ${found.problem}` };
    const { pkg } = found;
    const named = `tributaryjs ${pkg.version} from the workspace (${pkg.root})`;
    if (!this.trusted) return { copy: bundled, note: `${named} is not loaded in Restricted Mode: code from the workspace's node_modules runs only in a trusted workspace` };
    if (pkg.analysisPath === undefined) return { copy: bundled, note: `${named} has no analysis export (it predates it)` };
    try {
      const key = `${pkg.root}@${pkg.version}`;
      const resolved = nodeRequire.resolve(pkg.analysisPath);
      // The workspace's package is the one beside the server (a link to it, as in this repository's
      // benches and tests): its module is loaded already, and evaluating it again costs ~250 ms.
      const isBundled = resolved === realPathOf(bundledAnalysisFile());
      // A reinstall may have put another build at the same path: load it afresh.
      if (!isBundled && this.loadedKeys.get(resolved) !== key) delete nodeRequire.cache[resolved];
      const api = isBundled ? bundled.api : (nodeRequire(resolved) as { analysisApi?: AnalysisApi }).analysisApi;
      this.loadedKeys.set(resolved, key);
      if (api?.apiVersion !== ANALYSIS_API_VERSION) {
        return { copy: bundled, note: `${named} speaks analysis API version ${String(api?.apiVersion ?? "none")}, this language server ${ANALYSIS_API_VERSION}` };
      }
      return { copy: { api, description: named, key } };
    } catch (error) {
      return { copy: bundled, note: `${named} could not be loaded: ${(error as Error).message}` };
    }
  }
}
