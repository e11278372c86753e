/**
 * What native executable a file is, read from its first bytes: ELF (Linux), Mach-O (macOS) or PE
 * (Windows), and for which CPU. The .vsix content test uses it to check that each package carries
 * the esbuild binary of its own platform and nothing else native.
 */

export type BinaryFormat = "ELF" | "Mach-O" | "PE";

export interface NativeBinary {
  format: BinaryFormat;
  /** "x64", "arm64", or the header's machine number in hex when it is another CPU. */
  cpu: string;
}

const ELF_MACHINES: Record<number, string> = { 0x3e: "x64", 0xb7: "arm64" };
const MACHO_CPUS: Record<number, string> = { 0x01000007: "x64", 0x0100000c: "arm64" };
const PE_MACHINES: Record<number, string> = { 0x8664: "x64", 0xaa64: "arm64" };

const cpuName = (table: Record<number, string>, value: number): string => table[value] ?? `0x${value.toString(16)}`;

/** The native executable `bytes` begins, or undefined when they begin none of the three formats. */
export function nativeBinaryOf(bytes: Uint8Array): NativeBinary | undefined {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return elf(data) ?? machO(data) ?? pe(data);
}

/** ELF: 7f 45 4c 46, byte 5 the byte order (1 little-endian, 2 big-endian), e_machine at offset 18. */
function elf(data: Buffer): NativeBinary | undefined {
  if (data.length < 20 || data.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const machine = data[5] === 2 ? data.readUInt16BE(18) : data.readUInt16LE(18);
  return { format: "ELF", cpu: cpuName(ELF_MACHINES, machine) };
}

/**
 * Mach-O: feedface/feedfacf (32/64-bit) in either byte order, cputype next. A universal (fat)
 * binary (cafebabe) holds several: it is reported as native with its first slice's CPU.
 */
function machO(data: Buffer): NativeBinary | undefined {
  if (data.length < 8) return undefined;
  const magic = data.readUInt32BE(0);
  if (magic === 0xcefaedfe || magic === 0xcffaedfe) return { format: "Mach-O", cpu: cpuName(MACHO_CPUS, data.readUInt32LE(4)) };
  if (magic === 0xfeedface || magic === 0xfeedfacf) return { format: "Mach-O", cpu: cpuName(MACHO_CPUS, data.readUInt32BE(4)) };
  if (magic === 0xcafebabe && data.length >= 12) return { format: "Mach-O", cpu: cpuName(MACHO_CPUS, data.readUInt32BE(8)) };
  return undefined;
}

/** PE: "MZ", the PE header's offset at 0x3c, there "PE\0\0" and the Machine field. */
function pe(data: Buffer): NativeBinary | undefined {
  if (data.length < 0x40 || data.readUInt16BE(0) !== 0x4d5a) return undefined;
  const header = data.readUInt32LE(0x3c);
  if (header + 6 > data.length || data.readUInt32BE(header) !== 0x50450000) return undefined;
  return { format: "PE", cpu: cpuName(PE_MACHINES, data.readUInt16LE(header + 4)) };
}
