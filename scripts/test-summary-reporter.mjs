// A second reporter for scripts/run-tests.mjs, printed after the usual one: what the counts do not
// say. Node's summary counts tests only, so a suite skipped as a whole (the end-to-end suites on a
// machine without code-server) would not count, and a failing hook (an `after` that cannot remove
// its workspace) fails the run while the summary says "fail 0". This lists both, by file and name.
import path from "node:path";

export default async function* summary(source) {
  const skipped = [];
  const failedOutsideTests = [];
  for await (const event of source) {
    if (event.type === "test:pass" && event.data.skip !== undefined && event.data.skip !== false) {
      skipped.push(`${where(event.data)}: ${typeof event.data.skip === "string" ? event.data.skip : "(no reason given)"}`);
    }
    if (event.type === "test:fail") {
      const error = event.data.details?.error;
      // A suite that failed because a test in it failed is counted through that test; a failed hook is not always.
      if (error?.failureType === "hookFailed" || (event.data.details?.type === "suite" && error?.failureType !== "subtestsFailed")) {
        failedOutsideTests.push(`${where(event.data)}: ${firstLine(error?.cause?.message ?? error?.message)}`);
      }
    }
  }
  if (skipped.length > 0) yield `# skipped, and why (${skipped.length}):\n${skipped.map((line) => `#   ${line}\n`).join("")}`;
  if (failedOutsideTests.length > 0) yield `# failed outside any test (a hook) (${failedOutsideTests.length}):\n${failedOutsideTests.map((line) => `#   ${line}\n`).join("")}`;
}

// `file` is where the test was declared: for a test declared by a helper (describeE2e) that is the
// helper's file, which would mislead, so only a test file is named.
function where(data) {
  const file = data.file && /\.test\.[cm]?[jt]s$/.test(data.file) ? path.relative(process.cwd(), data.file) : undefined;
  if (data.name === data.file) return file ?? data.name;
  return file ? `${file} › ${data.name}` : data.name;
}

function firstLine(text) {
  return String(text ?? "unknown error").split("\n")[0];
}
