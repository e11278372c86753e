import assert from "node:assert/strict";
import { test } from "node:test";
import { compareVersions, matchingRange } from "./version-compat.js";

test("same major (and, below 1.0, the same minor) is compatible, whatever the patch or pre-release", () => {
  for (const [workspace, extension] of [["0.1.0", "0.1.0"], ["0.1.9", "0.1.0"], ["0.1.0-beta.2", "0.1.3"], ["2.9.0", "2.0.1"], ["2.0.0+build.5", "2.4.0"]]) {
    assert.deepEqual(compareVersions(workspace!, extension!), { compatible: true }, `${workspace} vs ${extension}`);
  }
});

test("a different major, or a different 0.x minor, is reported with both versions", () => {
  const major = compareVersions("2.0.0", "1.4.0");
  assert.equal(major.compatible, false);
  assert.match(!major.compatible ? major.reason : "", /major versions differ \(2 in the workspace, 1 in the extension\)/);
  const minor = compareVersions("0.2.0", "0.1.0");
  assert.match(!minor.compatible ? minor.reason : "", /0\.x minor versions differ \(0\.2 in the workspace, 0\.1 in the extension\)/);
  const bad = compareVersions("latest", "0.1.0");
  assert.match(!bad.compatible ? bad.reason : "", /"latest" is not a semantic version/);
});

test("the matching range to install follows the caret rule", () => {
  assert.deepEqual(["0.1.0", "0.3.7", "2.3.1"].map(matchingRange), ["^0.1.0", "^0.3.0", "^2.0.0"]);
});
