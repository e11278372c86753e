// `tributary run` on a flow of <n> sequential trivial tasks, its output in a pipe (plain progress:
// one line per state change, relayed from the child over IPC). Measured from this side of the pipe:
// from the line the flow prints before its first task to the flow run's Completed line, so the
// process start, bundling and the summary are left out and the parent's relaying and rendering
// are in. Also reported: the same span as the flow's own body saw it (in the child).
// Usage: node --import tsx bench/workloads/cli-run-workload.ts <n> <dir>
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";

const [countText = "2000", dir = "."] = process.argv.slice(2);
const count = Number(countText);
const cli = path.join(__dirname, "..", "..", "runtime", "bin", "tributary.js");

const FLOW = `import { flow, task } from "tributaryjs";
const step = task("step", async (i: number) => i + 1);
export const sequential = flow("cli-sequential-bench", async ({ n }: { n: number }) => {
  console.log("bench-start " + (performance.timeOrigin + performance.now()));
  let total = 0;
  for (let i = 0; i < n; i++) total += await step(i);
  console.log("bench-end " + (performance.timeOrigin + performance.now()));
  return total;
});
`;

async function main(): Promise<Record<string, number>> {
  const work = path.join(dir, `cli-run-${process.pid}`);
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, "flow.ts"), FLOW);
  const child = spawn(process.execPath, [cli, "run", "flow.ts", "--param", `n=${count}`], {
    cwd: work,
    env: { ...process.env, TRIBUTARY_HOME: work },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let firstLineAt: number | undefined;
  let completedAt: number | undefined;
  let bodyStart = 0;
  let bodyEnd = 0;
  let taskLines = 0;
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => {
    const now = performance.now();
    if (line.startsWith("bench-start ")) {
      firstLineAt = now;
      bodyStart = Number(line.slice(12));
    } else if (line.startsWith("bench-end ")) bodyEnd = Number(line.slice(10));
    else if (line.includes("| task-run ")) taskLines++;
    else if (completedAt === undefined && line.includes("| cli-sequential-bench | Completed")) completedAt = now;
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (code !== 0 || firstLineAt === undefined || completedAt === undefined) throw new Error(`tributary run failed (exit ${code}):\n${stderr}`);
  if (taskLines !== 3 * count) throw new Error(`expected ${3 * count} task-run lines (Pending, Running, Completed per task), got ${taskLines}`);
  return { microsPerTask: ((completedAt - firstLineAt) * 1000) / count, bodyMicrosPerTask: ((bodyEnd - bodyStart) * 1000) / count };
}

main().then(
  (result) => process.stdout.write(JSON.stringify(result) + "\n"),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
