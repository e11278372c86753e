/**
 * The flow runner process (`runtime/dist/cli/run-child.js`), forked with IPC:
 * - `run-child.js [--store <path>]`: one run, then it exits (run/single-runner.ts) — `tributary
 *   run`'s child, `tributary deploy`'s loader;
 * - `run-child.js --shared [--store <path>]`: the server's worker's runner, which executes many
 *   deployment runs of one project at once (run/shared-runner.ts).
 * `--store` names the SQLite store to open while the runner waits for its first run (a spare).
 */
import { startSharedRunner } from "./run/shared-runner.js";
import { startSingleRunner } from "./run/single-runner.js";

const args = process.argv.slice(2);
const shared = args[0] === "--shared";
if (shared) args.shift();
const storePath = args[0] === "--store" ? args[1] : undefined;
if (shared) startSharedRunner(storePath);
else startSingleRunner(storePath);
