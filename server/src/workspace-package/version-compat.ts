/**
 * Whether the workspace's tributaryjs and the extension can work together. The boundary is npm's
 * caret range: the same major version, and while the major is 0 the same minor (0.x releases may
 * break, as `^0.1.0` does not accept 0.2.0).
 */

export type Compatibility = { compatible: true } | { compatible: false; reason: string };

/** major.minor.patch with an optional pre-release and build (SemVer 2.0's shape); only major and minor matter here. */
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function parse(version: string): { major: number; minor: number } | undefined {
  const match = SEMVER.exec(version.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

export function compareVersions(workspaceVersion: string, extensionVersion: string): Compatibility {
  const ours = parse(extensionVersion);
  const theirs = parse(workspaceVersion);
  if (!ours) return { compatible: false, reason: `the extension's version "${extensionVersion}" is not a semantic version` };
  if (!theirs) return { compatible: false, reason: `the workspace's version "${workspaceVersion}" is not a semantic version` };
  if (ours.major !== theirs.major) return { compatible: false, reason: `their major versions differ (${theirs.major} in the workspace, ${ours.major} in the extension)` };
  if (ours.major === 0 && ours.minor !== theirs.minor) return { compatible: false, reason: `their 0.x minor versions differ (0.${theirs.minor} in the workspace, 0.${ours.minor} in the extension), and a 0.x release may break the one before` };
  return { compatible: true };
}

/** The caret range that matches the extension's version: "0.1.0" → "^0.1.0", "2.3.1" → "^2.0.0". */
export function matchingRange(extensionVersion: string): string {
  const ours = parse(extensionVersion);
  if (!ours) return extensionVersion;
  return ours.major === 0 ? `^0.${ours.minor}.0` : `^${ours.major}.0.0`;
}
