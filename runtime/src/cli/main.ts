/** The `tributary` command (runtime/bin/tributary.js loads the bundle of this file). */
import { createProcessContext } from "./cli-context.js";
import { runCli } from "./program.js";

void runCli(process.argv.slice(2), createProcessContext(__dirname)).then((code) => {
  process.exitCode = code;
});
