import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { findDefinition, splitEntrypoint } from "./flow-definition.js";

describe("finding a flow's definition", () => {
  it("splits an entrypoint at its last colon", () => {
    assert.deepEqual(splitEntrypoint("flows/etl.ts:etl"), { file: "flows/etl.ts", exportName: "etl" });
    assert.deepEqual(splitEntrypoint("/abs/path/orchestrator-flow.ts:orchestrator"), { file: "/abs/path/orchestrator-flow.ts", exportName: "orchestrator" });
    assert.deepEqual(splitEntrypoint("etl.ts"), { file: "etl.ts", exportName: undefined });
  });

  it("splits a Windows entrypoint (what tributary run records there) at its last colon, never at the drive letter's", () => {
    assert.deepEqual(splitEntrypoint("c:\\proj\\flows\\etl.ts:etl"), { file: "c:\\proj\\flows\\etl.ts", exportName: "etl" });
    assert.deepEqual(splitEntrypoint("C:\\proj\\flows\\etl.ts"), { file: "C:\\proj\\flows\\etl.ts", exportName: undefined });
    assert.deepEqual(splitEntrypoint("\\\\server\\share\\my proj\\etl.ts:etl"), { file: "\\\\server\\share\\my proj\\etl.ts", exportName: "etl" });
  });

  it("finds the same line and column in a CRLF file as in its LF twin", () => {
    const lines = ["import { flow } from 'tributaryjs';", "", "/* one", "   two */", "export const etl = flow('nightly-etl', async () => 1);", "export default flow('other', async () => 2);"];
    for (const [exportName, flowName] of [["etl", "nightly-etl"], ["default", "other"], ["nope", "nightly-etl"]] as const) {
      const lf = findDefinition(lines.join("\n"), exportName, flowName);
      assert.ok(lf, `${exportName} is found`);
      assert.deepEqual(findDefinition(lines.join("\r\n"), exportName, flowName), lf, exportName);
    }
  });

  it("finds the flow( call of the export in the seed's orchestrator, past the imports", () => {
    const text = readFileSync(path.resolve(__dirname, "../../../examples/orchestrator-flow.ts"), "utf8");
    const found = findDefinition(text, "orchestrator", "orchestrator-flow");
    assert.ok(found);
    assert.match(text.split("\n")[found.line]!, /^export const orchestrator = flow\($/);
  });

  it("falls back to the flow's name, and answers undefined when neither is there", () => {
    const text = ["import { flow } from 'tributaryjs';", "", "const x = 1;", "export default flow('nightly-etl', async () => x);"].join("\n");
    assert.deepEqual(findDefinition(text, "nope", "nightly-etl"), { line: 3, character: 15 });
    assert.equal(findDefinition(text, "nope", "other"), undefined);
  });
});
