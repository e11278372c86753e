import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { ConfigRules } from "./config-rules.js";

const config = { include: ["flows/**"], exclude: ["flows/generated/**"] };

test("include/exclude globs match the same files on POSIX and on Windows paths", () => {
  const cases: [ConfigRules, string, string][] = [
    [new ConfigRules("/proj", config, path.posix), "/proj", "/proj/flows/{name}"],
    [new ConfigRules("C:\\proj", config, path.win32), "C:\\proj", "C:\\proj\\flows\\{name}"],
    // VS Code's paths have a lower-case drive letter; a shell's an upper-case one.
    [new ConfigRules("C:\\proj", config, path.win32), "c:\\proj", "c:\\proj\\flows\\{name}"],
    [new ConfigRules("\\\\server\\share\\proj", config, path.win32), "\\\\server\\share\\proj", "\\\\server\\share\\proj\\flows\\{name}"],
  ];
  for (const [rules, root, pattern] of cases) {
    const at = (name: string) => pattern.replace("{name}", name);
    assert.equal(rules.accepts(at("etl.ts"), root), true, at("etl.ts"));
    assert.equal(rules.accepts(at("my flows #1.ts"), root), true, at("my flows #1.ts"));
    assert.equal(rules.accepts(at(rules.dir!.includes("\\") ? "generated\\a.ts" : "generated/a.ts"), root), false, `${at("generated")} is excluded`);
  }
});

test("on Windows, a file outside the config's folder or on another drive is not the config's to judge", () => {
  const rules = new ConfigRules("C:\\proj", config, path.win32);
  assert.equal(rules.accepts("C:\\proj\\lib\\a.ts", "C:\\proj"), false, "inside the folder but not included");
  assert.equal(rules.accepts("D:\\proj\\lib\\a.ts", "D:\\proj"), true);
  assert.equal(rules.accepts("C:\\proj-2\\lib\\a.ts", "C:\\proj-2"), true);
});

test("on Windows, a root that exclude matches was asked for by name, so its files are checked", () => {
  const rules = new ConfigRules("C:\\proj", config, path.win32);
  assert.equal(rules.accepts("C:\\proj\\flows\\generated\\a.ts", "c:\\proj\\flows\\generated"), true);
});
