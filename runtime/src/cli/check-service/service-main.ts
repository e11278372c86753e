/**
 * The check service's process (runtime/dist/cli/check-service.js), started detached by a
 * `tributary check` that answered by itself (`start-service.ts`), with one argument: the JSON of a
 * {@link ServiceLaunch}. The service is the analysis' (`serveChecks` in analysis-cli.js, which
 * the runtime must not import): it is loaded from beside the CLI, as `check` loads it.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { buildIdentity } from "./service-identity.js";
import type { ServiceLaunch } from "./start-service.js";

interface AnalysisServiceModule {
  serveChecks(options: { cwd: string; warm?: ServiceLaunch["warm"]; identity: { version: string; build: string }; env: NodeJS.ProcessEnv }): Promise<void>;
}

const launch = JSON.parse(process.argv[2] ?? "{}") as Partial<ServiceLaunch>;
if (typeof launch.cwd === "string") {
  const analysis = createRequire(__filename)(path.resolve(__dirname, "../analysis/analysis-cli.js")) as AnalysisServiceModule;
  void analysis.serveChecks({ cwd: launch.cwd, warm: launch.warm, identity: buildIdentity(__dirname), env: process.env });
}
