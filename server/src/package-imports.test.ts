import assert from "node:assert/strict";
import { test } from "node:test";
import { importSiteOf } from "./package-imports.js";

test("TRB160 sits on the specifier of the first import, export-from, dynamic import or require of tributaryjs, quotes included", () => {
  const cases: [string, number, number][] = [
    ['// flows\nimport { flow } from "tributaryjs";\n', 1, 21],
    ["export { flow } from 'tributaryjs';", 0, 21],
    ['const t = require( "tributaryjs" );', 0, 19],
    ['const t = await import("tributaryjs");', 0, 23],
  ];
  for (const [text, line, character] of cases) {
    assert.deepEqual(importSiteOf(text), { start: { line, character }, end: { line, character: character + 13 } }, text);
  }
  assert.equal(importSiteOf('import { flow } from "tributaryjs/analysis";\nimport "tributary";'), undefined);
});

test("TRB160's range is the same in a CRLF (or CR) file as in its LF twin", () => {
  const lf = '// flows\n\n/* a\n   b */ import { flow } from "tributaryjs";\n';
  const expected = { start: { line: 3, character: 29 }, end: { line: 3, character: 42 } };
  assert.deepEqual(importSiteOf(lf), expected);
  assert.deepEqual(importSiteOf(lf.replace(/\n/g, "\r\n")), expected);
  assert.deepEqual(importSiteOf(lf.replace(/\n/g, "\r")), expected);
});
