import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { discoverFlowFiles } from "./load-workspace.js";

const fixture = path.resolve(__dirname, "../../../test-fixtures/analysis/reexported-package");
const rel = (files: readonly string[]) => files.map((f) => path.relative(fixture, f).split(path.sep).join("/"));

test("files importing the user's re-export of tributaryjs are flow code; other files are not", async () => {
  const { files, facades } = await discoverFlowFiles([fixture], { rootDir: fixture });
  assert.deepEqual(rel(files), ["flows/downstream.ts", "flows/unknown-names.ts", "flows/upstream.ts", "lib/all.ts", "lib/index.ts", "lib/namespace.ts", "lib/tributary.ts"]);
  for (const name of ["lib/tributary.ts", "lib/all.ts", "lib/namespace.ts", "lib/index.ts"]) assert.ok(facades.has(path.join(fixture, name)), `${name} re-exports tributaryjs`);
  assert.ok(!facades.has(path.join(fixture, "flows/upstream.ts")), "a flow file exports flows, not the package");
});

test("an edited file is tested against the re-exporting modules without parsing it", async () => {
  const { facades } = await discoverFlowFiles([fixture], { rootDir: fixture });
  const file = path.join(fixture, "flows/new.ts");
  assert.equal(facades.importedBy(file, 'import { flow } from "../lib/tributary";'), true);
  assert.equal(facades.importedBy(file, 'import { flow } from "../lib";'), true, "lib/index.ts re-exports lib/tributary.ts");
  assert.equal(facades.importedBy(file, 'import { greeting } from "../helpers";'), false);
  assert.equal(facades.importedBy(file, 'import { tributary } from "./elsewhere/tributary";'), false, "a module of the same name that does not exist");
  // A facade that stops re-exporting the package.
  assert.equal(facades.update(path.join(fixture, "lib/all.ts"), "export const nothing = 1;"), true);
  assert.equal(facades.importedBy(file, 'import { automation } from "../lib/all";'), false);
});
