import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../test-support/cli-workspace.js";
import { checkFlowFile, parseRunTarget } from "./run-target.js";

describe("parseRunTarget", () => {
  it("splits an export or flow name off after the last colon", () => {
    assert.deepEqual(parseRunTarget("flows/etl.ts:etlFlow", "/w"), { file: path.resolve("/w/flows/etl.ts"), displayFile: "flows/etl.ts", name: "etlFlow" });
    assert.deepEqual(parseRunTarget("etl.ts", "/w"), { file: path.resolve("/w/etl.ts"), displayFile: "etl.ts" });
    assert.equal(parseRunTarget("a:b/etl.ts", "/w").name, undefined);
  });

  it("reads Windows paths: a drive letter's colon is no separator; UNC, backslashes, spaces and # are kept", () => {
    const { win32 } = path;
    const cases: [string, string, { file: string; name?: string }][] = [
      ["C:\\proj\\flows\\etl.ts", "C:\\proj", { file: "C:\\proj\\flows\\etl.ts" }],
      ["C:\\proj\\flows\\etl.ts:etlFlow", "C:\\proj", { file: "C:\\proj\\flows\\etl.ts", name: "etlFlow" }],
      ["c:/proj/flows/etl.ts:etl-flow", "C:\\proj", { file: "c:\\proj\\flows\\etl.ts", name: "etl-flow" }],
      ["flows\\etl.ts:etlFlow", "c:\\proj", { file: "c:\\proj\\flows\\etl.ts", name: "etlFlow" }],
      ["..\\lib\\etl.ts", "C:\\proj\\flows", { file: "C:\\proj\\lib\\etl.ts" }],
      ["\\\\server\\share\\proj\\etl.ts:etlFlow", "C:\\proj", { file: "\\\\server\\share\\proj\\etl.ts", name: "etlFlow" }],
      ["\\\\server\\share\\proj\\etl.ts", "C:\\proj", { file: "\\\\server\\share\\proj\\etl.ts" }],
      ["C:\\my proj #1\\etl.ts:etlFlow", "D:\\", { file: "C:\\my proj #1\\etl.ts", name: "etlFlow" }],
      ["D:etl.ts", "D:\\proj", { file: "D:\\proj\\etl.ts" }],
    ];
    for (const [spec, cwd, expected] of cases) {
      const target = parseRunTarget(spec, cwd, win32);
      assert.deepEqual({ file: target.file, ...(target.name === undefined ? {} : { name: target.name }) }, expected, spec);
    }
  });

  it("refuses an empty name after the colon", () => {
    assert.throws(() => parseRunTarget("etl.ts:", "/w"), { name: "UsageError", message: /Nothing follows ":" in "etl.ts:"/ });
  });
});

describe("checkFlowFile", () => {
  const fixtures = path.join(repoRoot, "test-fixtures/cli");
  it("suggests a sibling for a misspelt file, and refuses folders and other kinds of file", () => {
    assert.throws(() => checkFlowFile(parseRunTarget("falling-flow.ts", fixtures)), {
      name: "UsageError",
      message: /File not found: falling-flow\.ts .* Did you mean failing-flow\.ts\?/,
    });
    assert.throws(() => checkFlowFile(parseRunTarget(".", fixtures)), { name: "UsageError", message: /is a directory/ });
    assert.throws(() => checkFlowFile(parseRunTarget("notes.txt", fixtures)), { name: "UsageError", message: /notes\.txt is not a flow file/ });
    assert.doesNotThrow(() => checkFlowFile(parseRunTarget("failing-flow.ts", fixtures)));
  });
});
