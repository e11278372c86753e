import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { commonDirectory, displayPath, isInsideDir, pathInside } from "./file-paths.js";

const { posix, win32 } = path;

test("pathInside: a file inside the folder, with / separators, on POSIX and Windows", () => {
  assert.equal(pathInside("/proj", "/proj/flows/a.ts", posix), "flows/a.ts");
  assert.equal(pathInside("C:\\proj", "C:\\proj\\flows\\a.ts", win32), "flows/a.ts");
  assert.equal(pathInside("\\\\server\\share\\proj", "\\\\server\\share\\proj\\flows\\a b#1.ts", win32), "flows/a b#1.ts");
  assert.equal(pathInside("C:\\proj\\", "C:\\proj\\flows\\a.ts", win32), "flows/a.ts");
  assert.equal(pathInside("C:\\proj", "C:\\proj", win32), "");
  assert.equal(pathInside("/proj", "/proj", posix), "");
});

test("pathInside: drive letters of either case are one drive (VS Code sends c:, a shell C:)", () => {
  assert.equal(pathInside("C:\\proj", "c:\\proj\\flows\\a.ts", win32), "flows/a.ts");
  assert.equal(pathInside("c:\\proj", "C:\\proj\\flows\\a.ts", win32), "flows/a.ts");
  assert.equal(isInsideDir("c:\\Proj", "C:\\proj", win32), true);
  // POSIX file names are case-sensitive.
  assert.equal(pathInside("/Proj", "/proj/a.ts", posix), undefined);
});

test("pathInside: above, beside, another drive or another share is outside", () => {
  assert.equal(pathInside("/proj", "/proj-2/a.ts", posix), undefined);
  assert.equal(pathInside("/proj", "/a.ts", posix), undefined);
  assert.equal(pathInside("C:\\proj", "C:\\proj-2\\a.ts", win32), undefined);
  assert.equal(pathInside("C:\\proj", "D:\\proj\\a.ts", win32), undefined);
  assert.equal(pathInside("\\\\server\\share\\proj", "\\\\server\\other\\proj\\a.ts", win32), undefined);
  assert.equal(pathInside("\\\\server\\share\\proj", "C:\\proj\\a.ts", win32), undefined);
  // A file whose name starts with two dots is still inside.
  assert.equal(pathInside("C:\\proj", "C:\\proj\\..a.ts", win32), "..a.ts");
  assert.equal(pathInside("/proj", "/proj/..a.ts", posix), "..a.ts");
});

test("displayPath: relative with / separators, ../ above, absolute on another drive", () => {
  assert.equal(displayPath("/proj", "/proj/flows/a.ts", posix), "flows/a.ts");
  assert.equal(displayPath("/proj/flows", "/proj/lib/a.ts", posix), "../lib/a.ts");
  assert.equal(displayPath("C:\\proj", "c:\\proj\\flows\\a.ts", win32), "flows/a.ts");
  assert.equal(displayPath("C:\\proj\\flows", "C:\\proj\\lib\\a.ts", win32), "../lib/a.ts");
  assert.equal(displayPath("C:\\proj", "D:\\other\\a.ts", win32), "D:/other/a.ts");
  assert.equal(displayPath("\\\\server\\share\\proj", "\\\\server\\share\\proj\\flows\\a.ts", win32), "flows/a.ts");
});

test("commonDirectory: where folders meet, ending on another drive instead of looping", () => {
  assert.equal(commonDirectory(["/proj/flows", "/proj/lib/x"], posix), "/proj");
  assert.equal(commonDirectory(["/proj/flows", "/other"], posix), "/");
  assert.equal(commonDirectory(["C:\\proj\\flows", "c:\\proj\\lib\\x"], win32), "C:\\proj");
  assert.equal(commonDirectory(["C:\\proj\\flows", "C:\\proj\\flows\\sub"], win32), "C:\\proj\\flows");
  assert.equal(commonDirectory(["\\\\server\\share\\proj\\a", "\\\\server\\share\\proj\\b"], win32), "\\\\server\\share\\proj");
  assert.equal(commonDirectory(["C:\\proj\\flows", "D:\\proj"], win32), "C:\\");
  assert.equal(commonDirectory(["/proj/flows"], posix), "/proj/flows");
});
