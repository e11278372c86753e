import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import type { Finding } from "../analysis/index.js";
import { toSarif } from "./format-sarif.js";

const range = { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } };
const finding = (file: string): Finding => ({ file, range, severity: "error", code: "TRB110", message: "unknown", related: [] });

// The parts of a SARIF log these tests read.
interface SarifLog {
  runs: { originalUriBaseIds: Record<string, { uri: string }>; results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[] }[];
}
const artifacts = (log: object) => (log as SarifLog).runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);

test("SARIF on Windows: artifact URIs relative to %SRCROOT% with /, whatever the drive letter's case", () => {
  const log = toSarif([finding("c:\\proj\\flows\\a.ts"), finding("C:\\proj\\flows\\sub\\b.ts")], "C:\\proj", "0.0.0", path.win32);
  assert.deepEqual((log as SarifLog).runs[0]!.originalUriBaseIds["%SRCROOT%"], { uri: "file:///C:/proj/" });
  assert.deepEqual(artifacts(log), [
    { uri: "flows/a.ts", uriBaseId: "%SRCROOT%" },
    { uri: "flows/sub/b.ts", uriBaseId: "%SRCROOT%" },
  ]);
});

test("SARIF: a space, # or % in a file name is escaped, so the URI reference names the file", () => {
  const posix = toSarif([finding("/my proj/flows #2/100%.ts")], "/my proj", "0.0.0", path.posix);
  assert.deepEqual(artifacts(posix), [{ uri: "flows%20%232/100%25.ts", uriBaseId: "%SRCROOT%" }]);
  assert.equal((posix as SarifLog).runs[0]!.originalUriBaseIds["%SRCROOT%"]!.uri, "file:///my%20proj/");
  const unc = toSarif([finding("\\\\server\\share\\proj\\flows #2\\a.ts")], "\\\\server\\share\\proj", "0.0.0", path.win32);
  assert.deepEqual(artifacts(unc), [{ uri: "flows%20%232/a.ts", uriBaseId: "%SRCROOT%" }]);
  assert.equal((unc as SarifLog).runs[0]!.originalUriBaseIds["%SRCROOT%"]!.uri, "file://server/share/proj/");
});

test("SARIF: a file outside the current directory (another drive, a folder above) has its absolute file URI", () => {
  const log = toSarif([finding("D:\\lib\\a.ts"), finding("C:\\lib\\b c.ts")], "C:\\proj", "0.0.0", path.win32);
  assert.deepEqual(artifacts(log), [{ uri: "file:///D:/lib/a.ts" }, { uri: "file:///C:/lib/b%20c.ts" }]);
  assert.deepEqual(artifacts(toSarif([finding("/lib/a.ts")], "/proj", "0.0.0", path.posix)), [{ uri: "file:///lib/a.ts" }]);
});
