import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { pathToUri, uriToPath } from "./file-uris.js";

const { posix, win32 } = path;

test("Windows: the URIs VS Code sends (escaped drive colon, lower-case drive) are paths with a drive letter", () => {
  assert.equal(uriToPath("file:///c%3A/proj/flows/a.ts", win32), "c:\\proj\\flows\\a.ts");
  assert.equal(uriToPath("file:///C:/proj/flows/a.ts", win32), "C:\\proj\\flows\\a.ts");
  assert.equal(uriToPath("file:///c%3A/my%20proj/flows/a%231%25.ts", win32), "c:\\my proj\\flows\\a#1%.ts");
});

test("Windows: a UNC path is a file URI with the server as its host, both ways", () => {
  assert.equal(uriToPath("file://server/share/proj/flows/a.ts", win32), "\\\\server\\share\\proj\\flows\\a.ts");
  assert.equal(pathToUri("\\\\server\\share\\proj\\flows\\a.ts", win32), "file://server/share/proj/flows/a.ts");
});

test("Windows: paths become URIs with spaces, # and % escaped, and come back unchanged", () => {
  const files = ["C:\\proj\\flows\\a.ts", "c:\\proj\\flows\\a.ts", "C:\\My Projects\\flows #2\\100%.ts", "\\\\server\\share\\my proj\\a#b.ts"];
  for (const file of files) {
    const uri = pathToUri(file, win32);
    assert.doesNotMatch(uri.slice("file://".length), /[ #\\]|%(?![0-9A-F]{2})/, uri);
    assert.equal(uriToPath(uri, win32), file);
  }
  assert.equal(pathToUri("C:\\My Projects\\flows #2\\100%.ts", win32), "file:///C:/My%20Projects/flows%20%232/100%25.ts");
});

test("POSIX: paths with spaces, # and % round-trip; a UNC-style host or a Windows-only URI is no path", () => {
  for (const file of ["/proj/flows/a.ts", "/my proj/flows #2/100%.ts"]) assert.equal(uriToPath(pathToUri(file, posix), posix), file);
  assert.equal(pathToUri("/my proj/a#1.ts", posix), "file:///my%20proj/a%231.ts");
  assert.equal(uriToPath("file://server/share/a.ts", posix), undefined);
  assert.equal(uriToPath("file:///proj/a.ts", win32), undefined, "no drive letter: not an absolute Windows path");
});

test("other schemes are not files", () => {
  assert.equal(uriToPath("untitled:Untitled-1", win32), undefined);
  assert.equal(uriToPath("git:/c%3A/proj/a.ts?ref", posix), undefined);
});
