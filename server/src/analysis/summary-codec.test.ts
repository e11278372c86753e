import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { isSourceFile } from "./source-files.js";
import { summarizeFile } from "./summarize-file.js";
import { decodeSummary, encodeSummary, SummaryDecodeError } from "./summary-codec.js";

// Every summary the analysis makes of the repository's flow code goes through JSON and comes back
// equal, `undefined` properties, Maps and odd numbers included.
const repoRoot = path.resolve(__dirname, "../../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "node_modules" ? [] : sourceFiles(full);
    return isSourceFile(full) ? [full] : [];
  });
}

const throughJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe("summary codec", () => {
  it("gives back every fixture's and example's summary unchanged", () => {
    const files = [...sourceFiles(path.join(repoRoot, "test-fixtures/analysis")), ...sourceFiles(path.join(repoRoot, "examples"))];
    assert.ok(files.length > 50, `only ${files.length} files found`);
    for (const file of files) {
      const summary = summarizeFile(file, readFileSync(file, "utf8"));
      assert.deepStrictEqual(decodeSummary(throughJson(encodeSummary(summary)), file), summary, file);
    }
  });

  it("keeps what plain JSON loses: undefined, -0, Infinity, a literal undefined", () => {
    const text = 'import { flow } from "tributaryjs";\nexport const a = flow({ name: "a", retries: -0, timeoutSeconds: 1e999, tag: undefined }, async ({ n = -0 }: { n?: number }) => n);\n';
    const summary = summarizeFile("/w/a.ts", text);
    const back = decodeSummary(throughJson(encodeSummary(summary)), "/w/a.ts");
    assert.deepStrictEqual(back, summary);
    assert.ok(JSON.stringify(summary.calls).includes("null"), "the summary holds a number JSON writes as null");
  });

  it("gives the summary the file it is read for", () => {
    const summary = summarizeFile("/w/a.ts", 'import { flow } from "tributaryjs";\nexport const a = flow("a", async () => 1);\n');
    assert.equal(decodeSummary(throughJson(encodeSummary(summary)), "/elsewhere/b.ts").file, "/elsewhere/b.ts");
  });

  it("refuses what it did not write", () => {
    const summary = summarizeFile("/w/a.ts", 'import { flow } from "tributaryjs";\nexport const a = flow("a", async () => 1);\n');
    const good = throughJson(encodeSummary(summary)) as Record<string, unknown>;
    const foreign: unknown[] = [null, 3, "x", [], ["z"], {}, { ...good, imports: {} }, { ...good, calls: ["a", { id: 5 }] }, { ...good, surfaceKey: ["u"] }, JSON.parse('{"__proto__":{}}')];
    for (const value of foreign) assert.throws(() => decodeSummary(value, "/w/a.ts"), SummaryDecodeError, JSON.stringify(value));
  });
});
