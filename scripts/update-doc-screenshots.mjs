// Copies the screenshots that the README shows from test-artifacts/e2e/ (the end-to-end scenarios in
// code-server) and test-artifacts/dashboard/ (the dashboard's browser tests) to docs/images/. The tests never write into the repository; run this after `npm run test:e2e` when
// the pictures should change, and look at them before committing.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const artifacts = path.join(root, "test-artifacts", "e2e");
const images = path.join(root, "docs", "images");
/** docs/images name ← test-artifacts/e2e name */
const kept = {
  "sidebar-flow-runs.png": "flow-runs-run-expanded.png",
  "sidebar-flow-run-result.png": "flow-runs-result.png",
  "sidebar-flow-run-failed.png": "flow-runs-failed.png",
  "sidebar-deployments.png": "sidebar-deployments.png",
  "dependency-graph.png": "dependency-graph.png",
  "dependency-graph-overview.png": "dependency-graph-overview.png",
  "run-graph.png": "run-graph.png",
  "dashboard-flow-runs.png": "../dashboard/flow-runs.png",
  "dashboard-flow-run.png": "../dashboard/flow-run.png",
  "dashboard-deployments.png": "../dashboard/deployments.png",
  "dashboard-run-form.png": "../dashboard/deployment-run-form.png",
  "dashboard-graph.png": "../dashboard/dependency-graph.png",
};
mkdirSync(images, { recursive: true });
let missing = 0;
for (const [image, artifact] of Object.entries(kept)) {
  const from = path.join(artifacts, artifact);
  if (!existsSync(from)) {
    console.error(`${path.relative(root, from)} is missing: run the end-to-end tests first (npm run test:e2e; the dashboard's: node scripts/run-tests.mjs -browser.test.ts).`);
    missing++;
    continue;
  }
  copyFileSync(from, path.join(images, image));
  console.log(`docs/images/${image} ← test-artifacts/e2e/${artifact}`);
}
process.exitCode = missing > 0 ? 1 : 0;
