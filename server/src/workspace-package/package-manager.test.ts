import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { installCommand, managerOfField, managerOfLockfile, planInstall } from "./package-manager.js";

const root = mkdtempSync(path.join(os.tmpdir(), "tributary-package-manager-"));
after(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

test("each lockfile names its manager, and each manager has its add command", () => {
  assert.deepEqual(
    ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb", "deno.lock"].map(managerOfLockfile),
    ["npm", "npm", "pnpm", "yarn", "bun", "bun", undefined],
  );
  assert.deepEqual((["npm", "pnpm", "yarn", "bun"] as const).map((m) => installCommand(m)), ["npm install tributaryjs", "pnpm add tributaryjs", "yarn add tributaryjs", "bun add tributaryjs"]);
  assert.deepEqual(["pnpm@9.1.0", "yarn@4.0.0+sha", "deno@2", 3].map(managerOfField), ["pnpm", "yarn", undefined, undefined]);
});

test("the lockfile beside the nearest package.json decides, and the command runs in that folder", () => {
  for (const [lockfile, command] of [["pnpm-lock.yaml", "pnpm add tributaryjs"], ["yarn.lock", "yarn add tributaryjs"], ["bun.lockb", "bun add tributaryjs"], ["package-lock.json", "npm install tributaryjs"]] as const) {
    const dir = project(`lock-${lockfile}`, { "package.json": "{}", [lockfile]: "", "flows/etl.ts": "" });
    assert.deepEqual(planInstall(path.join(dir, "flows")), { manager: command.split(" ")[0], command, cwd: dir, reason: `${lockfile} in ${dir}` });
  }
});

test("npm when there is no lockfile; the folder itself when there is no package.json", () => {
  const dir = project("bare", { "package.json": "{}" });
  assert.deepEqual(planInstall(dir), { manager: "npm", command: "npm install tributaryjs", cwd: dir, reason: "no lockfile" });
  const none = project("no-manifest", { "flows/a.ts": "" });
  assert.equal(planInstall(path.join(none, "flows")).cwd, path.join(none, "flows"));
});

test("a monorepo package uses the root's lockfile but installs in its own folder; packageManager overrides the lockfile", () => {
  const monorepo = project("monorepo", { "package.json": "{}", "pnpm-lock.yaml": "", "packages/app/package.json": "{}" });
  const app = path.join(monorepo, "packages", "app");
  assert.deepEqual([planInstall(app).command, planInstall(app).cwd], ["pnpm add tributaryjs", app]);
  const declared = project("declared", { "package.json": JSON.stringify({ packageManager: "yarn@4.1.0" }), "package-lock.json": "" });
  assert.equal(planInstall(declared).command, "yarn add tributaryjs");
});
