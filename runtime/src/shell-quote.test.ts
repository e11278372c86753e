import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { it } from "node:test";
import { shellCommand, shellQuote } from "./shell-quote.js";

it("leaves plain arguments bare and quotes the rest so that /bin/sh reads them back whole", () => {
  assert.equal(shellQuote("flow-name/deployment_1"), "flow-name/deployment_1");
  assert.equal(shellQuote("01a23d25-4c"), "01a23d25-4c");
  const tricky = ["Upstream Data Preparation/upstream-data-preparation", "it's", "", "$HOME", "a;b", "`x`", "*", "~", "a\nb", '"q"', "!"];
  for (const word of tricky) assert.match(shellQuote(word), /^'/, word);
  const echoed = spawnSync("/bin/sh", ["-c", `printf '%s\\0' ${shellCommand(tricky)}`], { encoding: "utf8" });
  assert.equal(echoed.status, 0, echoed.stderr);
  assert.deepEqual(echoed.stdout.split("\0").slice(0, -1), tricky);
});
