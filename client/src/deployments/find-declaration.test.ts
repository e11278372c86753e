import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { declaresDeploymentsOrAutomations, entrypointFile, findAutomationCall, findDeployCall } from "./find-declaration.js";

const seeds = path.resolve(__dirname, "..", "..", "..", "examples");
const downstream = readFileSync(path.join(seeds, "downstream-flow.ts"), "utf8");

describe("find-declaration", () => {
  it("tells the files that declare deployments or automations, as tributary deploy does", () => {
    assert.equal(declaresDeploymentsOrAutomations("downstream-flow.ts", downstream), true);
    assert.equal(declaresDeploymentsOrAutomations("downstream-flow.test.ts", downstream), false);
    assert.equal(declaresDeploymentsOrAutomations("types.d.ts", downstream), false);
    assert.equal(declaresDeploymentsOrAutomations("notes.md", downstream), false);
    assert.equal(declaresDeploymentsOrAutomations("other.ts", 'import { flow } from "tributaryjs";\nflow("x", async () => 1);'), false);
  });

  it("finds the deploy( call that names a deployment", () => {
    const text = `import { deploy } from "tributaryjs";\nexport const a = deploy(f, { name: "first" });\nexport const b = deploy(f, {\n  name: 'second',\n});\n`;
    assert.equal(findDeployCall(text, "second"), text.indexOf("deploy(f, {\n"));
    assert.equal(findDeployCall(text, "first"), text.indexOf("deploy(f, { name"));
    assert.equal(findDeployCall(text, "missing"), text.indexOf("deploy(f, { name"), "falls back to the first call");
    assert.equal(findDeployCall("no calls here", "x"), undefined);
  });

  it("finds the seed's automation by name", () => {
    assert.equal(findAutomationCall(downstream, "downstream-after-upstream"), downstream.indexOf('automation("downstream-after-upstream"'));
    assert.equal(findAutomationCall(downstream, "downstream"), undefined);
  });

  it("takes the file part of an entrypoint", () => {
    assert.equal(entrypointFile("flows/upstream-flow.ts:upstream"), "flows/upstream-flow.ts");
    assert.equal(entrypointFile("C:/ws/flow.ts:main"), "C:/ws/flow.ts");
    assert.equal(entrypointFile("flow.ts"), "flow.ts");
  });
});
