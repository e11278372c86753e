import assert from "node:assert/strict";
import { test } from "node:test";
import { nativeBinaryOf } from "./native-binary.js";

/** A header of `size` zero bytes with `fields` written at their offsets. */
function header(size: number, fields: [offset: number, bytes: number[]][]): Buffer {
  const bytes = Buffer.alloc(size);
  for (const [offset, values] of fields) Buffer.from(values).copy(bytes, offset);
  return bytes;
}

test("reads the format and CPU of ELF, Mach-O and PE headers", () => {
  assert.deepEqual(nativeBinaryOf(header(64, [[0, [0x7f, 0x45, 0x4c, 0x46, 2, 1]], [18, [0xb7, 0]]])), { format: "ELF", cpu: "arm64" });
  // A big-endian ELF (byte 5 = 2) stores e_machine big-endian: s390x is 0x16.
  assert.deepEqual(nativeBinaryOf(header(64, [[0, [0x7f, 0x45, 0x4c, 0x46, 2, 2]], [18, [0, 0x16]]])), { format: "ELF", cpu: "0x16" });
  assert.deepEqual(nativeBinaryOf(header(32, [[0, [0xcf, 0xfa, 0xed, 0xfe, 0x07, 0, 0, 0x01]]])), { format: "Mach-O", cpu: "x64" });
  assert.deepEqual(nativeBinaryOf(header(256, [[0, [0x4d, 0x5a]], [0x3c, [0x80, 0, 0, 0]], [0x80, [0x50, 0x45, 0, 0, 0x64, 0xaa]]])), { format: "PE", cpu: "arm64" });
});

test("answers undefined for what is not a native executable", () => {
  assert.equal(nativeBinaryOf(Buffer.from("module.exports = 42;\n")), undefined);
  // "MZ" without a PE header where 0x3c points: a text that happens to begin so.
  assert.equal(nativeBinaryOf(Buffer.from(`MZ${"x".repeat(100)}`)), undefined);
  assert.equal(nativeBinaryOf(Buffer.from([0x7f, 0x45, 0x4c])), undefined);
  assert.equal(nativeBinaryOf(Buffer.alloc(0)), undefined);
});
