import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { canRunInTerminal, CliWorkspace } from "../test-support/cli-workspace.js";

// The timeout is a guard against a hang (a line that never comes), not a wait.
describe("tributary run on a terminal", { skip: canRunInTerminal ? false : "util-linux `script` is not installed", timeout: 120_000 }, () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("redraws the run tree with a spinner, and Ctrl-C typed on the terminal cancels the run", async () => {
    const cli = workspace.startInTerminal(["run", "long-flow.ts"]);
    await cli.waitForLine(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] long-flow · [a-z]+-[a-z]+ {2}Running {2}\S+$/);
    await cli.waitForLine(/^└─ [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] wait-long-0 {2}Running {2}\S+$/);
    await cli.waitForLine(/INFO +task-run wait-long-0 \| waiting in pid=\d+$/);
    // The terminal sends SIGINT to the whole foreground process group, the flow's process too.
    cli.type("\x03");
    const result = await cli.result;
    assert.equal(result.code, 130, result.stdout);
    assert.match(result.stdout, /Cancelling the run \(press Ctrl-C again to kill it\)/);
    assert.match(result.stdout, /Flow run \S+ \(long-flow\) Cancelled after \S+: Cancelled with Ctrl-C\./);
    assert.ok(result.stdout.includes("\x1b[?25h"), "the cursor is shown again");
  });
});
