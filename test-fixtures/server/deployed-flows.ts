// Deployments used by the server tests: a quick flow, one that runs until it is cancelled or
// killed (one run at a time), and an hourly schedule.
import { existsSync, writeFileSync } from "node:fs";
import { deploy, emitEvent, flow, getRunContext, getRunLogger, pauseFlowRun, runDeployment, task } from "tributaryjs";

export const add = flow("add", async ({ a = 1, b = 2 }: { a?: number; b?: number }) => a + b);
export const addDefault = deploy(add, { name: "default", parameters: { a: 10 }, tags: ["math"] });

export const hang = flow("hang", async () => {
  // Keeps the process busy forever; the engine stops awaiting it when the run is cancelled.
  await new Promise<void>(() => setInterval(() => undefined, 60_000));
});
export const hangOneAtATime = deploy(hang, { name: "one-at-a-time", concurrencyLimit: 1 });

export const hourly = deploy(add, { name: "hourly", schedule: { interval: "1h" } });

// Where a deployment run executes: its working directory and the server it was told of.
export const whereAmI = flow("where-am-i", async () => ({ cwd: process.cwd(), apiUrl: process.env.TRIBUTARY_API_URL ?? null, pid: process.pid }));

// A run that takes a while and says which server's worker ran it (several-servers.test.ts:
// a deployment's concurrency limit across servers).
export const nap = flow("nap", async ({ ms = 200 }: { ms?: number }) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { apiUrl: process.env.TRIBUTARY_API_URL ?? null };
});

// Like hang, but says so first with an event of its own: by the time the server has that event,
// the run's Running state is committed to the store (heartbeat-crash.test.ts).
export const hangAnnounced = flow("hang-announced", async () => {
  await emitEvent("fixture.hang.started", "fixture.hang");
  await new Promise<void>(() => setInterval(() => undefined, 60_000));
});

// Like hang-announced on its first attempt only (a file in its working directory remembers it),
// with one retry: a crash of that attempt is retried, and the retry returns (heartbeat-crash.test.ts).
export const hangOnce = flow("hang-once", { retries: 1 }, async () => {
  if (existsSync("hang-once.started")) return "retried";
  writeFileSync("hang-once.started", "");
  await emitEvent("fixture.hang.started", "fixture.hang");
  await new Promise<void>(() => setInterval(() => undefined, 60_000));
});

// The cluster's flows (workers-cluster.test.ts), with a retry: a run whose worker is killed is run
// again by another. where-am-i-retried is where-am-i; hang-once-says-where is hang-says-where on its
// first attempt only, and says where it ran on its retry.
export const whereAmIRetried = flow("where-am-i-retried", { retries: 1 }, async () => ({ cwd: process.cwd(), pid: process.pid }));
export const hangOnceSaysWhere = flow("hang-once-says-where", { retries: 1 }, async () => {
  if (getRunContext().flowRunCount > 1) return { cwd: process.cwd(), runCount: getRunContext().flowRunCount };
  await emitEvent("fixture.hang.where", "fixture.hang", { apiUrl: process.env.TRIBUTARY_API_URL ?? null });
  await new Promise<void>(() => setInterval(() => undefined, 60_000));
});

// Like hang-announced, and says which server's worker runs it (several-servers.test.ts: a cancel
// asked of the other server).
export const hangSaysWhere = flow("hang-says-where", async () => {
  await emitEvent("fixture.hang.where", "fixture.hang", { apiUrl: process.env.TRIBUTARY_API_URL ?? null });
  await new Promise<void>(() => setInterval(() => undefined, 60_000));
});

// Two tasks and a log line: what the live stream shows of a run (live-events.test.ts).
export const double = task("double", async (n: number) => n * 2);
export const withTasks = flow("with-tasks", async ({ n = 2 }: { n?: number }) => {
  getRunLogger().info(`doubling ${n} twice`);
  return double(await double(n));
});

// Parents of hang/plain runs, for cancellation (cancel-linked-runs.test.ts): one waits for its
// linked child, one waits for a run it does not link, one starts a linked child and moves on.
export const waitsOnHang = flow("waits-on-hang", async () => (await runDeployment("hang/plain")).state.name);
export const waitsDetached = flow("waits-detached", async () => (await runDeployment("hang/plain", { asSubflow: false })).state.name);
export const firesAndHangs = flow("fires-and-hangs", async () => {
  await runDeployment("hang/plain", { timeoutSeconds: 0 });
  await new Promise<void>(() => setInterval(() => undefined, 60_000));
});

// Flows that never yield their event loop (unresponsive-runs.test.ts): only the worker can end
// them — on a cancel, at the timeout, or when their heartbeats stop.
export const spinForever = flow("spin-forever", async () => {
  while (true) {}
});
export const spinWithTimeout = flow("spin-with-timeout", { timeoutSeconds: 1 }, async () => {
  while (true) {}
});

// A flow that pauses until it is resumed through the API (pause-resume.test.ts).
export const waitsForApproval = flow("waits-for-approval", async () => {
  await pauseFlowRun({ timeoutSeconds: 600 });
  return "approved";
});

// Waits for a file named `told` in its working directory, then fails its first attempt, which its
// retry would follow (run-fence.test.ts: by then the server has ended the run, and the store
// refuses the AwaitingRetry this process writes, so no retry may happen).
export const failsOnceWhenTold = flow("fails-once-when-told", { retries: 1 }, async () => {
  if (getRunContext().flowRunCount > 1) {
    await emitEvent("fixture.told.retried", "fixture.told");
    return "retried";
  }
  await emitEvent("fixture.told.waiting", "fixture.told");
  while (!existsSync("told")) await new Promise((resolve) => setTimeout(resolve, 20));
  throw new Error("Told to fail.");
});
