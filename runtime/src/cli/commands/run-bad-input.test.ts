import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { CliWorkspace } from "../test-support/cli-workspace.js";

/** Every bad input: exit code 2, one line on stderr naming the bad value, nothing in the store. */
const cases: { what: string; args: string[]; message: RegExp; env?: NodeJS.ProcessEnv }[] = [
  { what: "a missing file", args: ["run", "missing-flow.ts"], message: /File not found: missing-flow\.ts / },
  { what: "a misspelt file", args: ["run", "failng-flow.ts"], message: /File not found: failng-flow\.ts .*Did you mean failing-flow\.ts\?/ },
  { what: "a file that is not a flow file", args: ["run", "notes.txt"], message: /notes\.txt is not a flow file/ },
  { what: "a file without flows", args: ["run", "no-flows.ts"], message: /no-flows\.ts exports no flow/ },
  {
    what: "several flows and none named",
    args: ["run", "two-flows.ts"],
    message: /two-flows\.ts has 2 flows \(extractFlow \(extract-flow\), loadFlow \(load-flow\)\); name one, as in tributary run two-flows\.ts:extractFlow/,
  },
  { what: "an unknown flow name", args: ["run", "two-flows.ts:lod-flow"], message: /no flow or export named "lod-flow"\. Did you mean "load-flow"\?/ },
  { what: "--params that is not JSON", args: ["run", "completing-flow.ts", "--params", "{n: 1}"], message: /--params '\{n: 1\}' is not valid JSON/ },
  { what: "--params that is not an object", args: ["run", "completing-flow.ts", "--params", "[1, 2]"], message: /--params must be a JSON object .* an array: '\[1, 2\]'/ },
  { what: "--param without =", args: ["run", "completing-flow.ts", "--param", "n"], message: /--param 'n' has no "="/ },
  {
    what: "a flow file that throws while loading",
    args: ["run", "throws-on-load.ts"],
    message: /throws-on-load\.ts threw while loading: Error: TRIBUTARY_FIXTURE_API_KEY is not set \(at throws-on-load\.ts:5:\d+\)/,
  },
  { what: "a flow file that does not parse", args: ["run", "broken-syntax.ts"], message: /Could not bundle broken-syntax\.ts: broken-syntax\.ts:5:\d+: / },
  { what: "a --kill-after that is not a duration", args: ["run", "completing-flow.ts", "--kill-after", "-1"], message: /--kill-after must be a number of seconds of at least 0, got "-1"/ },
  { what: "an unknown option", args: ["run", "completing-flow.ts", "--parms", "{}"], message: /unknown option '--parms'/ },
  {
    what: "a TRIBUTARY_SQLITE_DRIVER that names no driver",
    args: ["run", "completing-flow.ts"],
    env: { TRIBUTARY_SQLITE_DRIVER: "sqlite4" },
    message: /Expected TRIBUTARY_SQLITE_DRIVER to be "node:sqlite" or "better-sqlite3", got `sqlite4`; leave it unset/,
  },
];

describe("tributary run with bad input", () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  for (const { what, args, message, env } of cases) {
    it(`refuses ${what} with exit code 2 and writes nothing`, async () => {
      const result = await workspace.run(args, env);
      assert.equal(result.code, 2, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
      const lines = result.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, /^tributary: /);
      assert.match(lines[0]!, message);
      assert.equal(result.stdout, "");
      assert.equal(workspace.countFlowRuns(), 0);
    });
  }
});
