// Runs that misbehave outside their promise chain, for the runner they share with other runs of
// the project (runner-pool.test.ts): each must end only itself.
import { flow, pauseFlowRun } from "tributaryjs";

type Ticks = { leakTicks?: number };
const never = () => new Promise<void>(() => undefined);

// Waits until resumed through the API: a run that shares the runner with the ones that crash.
export const bystander = flow("bystander", async () => {
  await pauseFlowRun({ timeoutSeconds: 600 });
  return process.pid;
});

export const throwsInTimer = flow("throws-in-timer", async () => {
  setTimeout(() => {
    throw new Error("boom from a timer");
  }, 1);
  await never();
});

export const rejectsUnhandled = flow("rejects-unhandled", async () => {
  void Promise.reject(new Error("nobody caught me"));
  await never();
});

export const callsExit = flow("calls-exit", async () => {
  await Promise.resolve();
  process.exit(3);
});

// Leaves an interval running when it completes; counts-leak then sees whether it still ticks.
export const leaksInterval = flow("leaks-interval", async () => {
  const ticks = globalThis as Ticks;
  ticks.leakTicks = 0;
  setInterval(() => (ticks.leakTicks = (ticks.leakTicks ?? 0) + 1), 2);
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if ((ticks.leakTicks ?? 0) >= 3) {
        clearInterval(check);
        resolve();
      }
    }, 1);
  });
  return ticks.leakTicks ?? 0;
});

export const countsLeak = flow("counts-leak", async () => {
  const ticks = globalThis as Ticks;
  const before = ticks.leakTicks ?? 0;
  // An interval of this run's, at the leaked one's pace: while it ticks 20 times, a leaked interval
  // still running would tick about as often.
  const live = await new Promise<number>((resolve) => {
    let count = 0;
    const own = setInterval(() => {
      if (++count < 20) return;
      clearInterval(own);
      resolve(count);
    }, 2);
  });
  return { before, after: ticks.leakTicks ?? 0, live };
});

export const pid = flow("pid", async () => process.pid);
