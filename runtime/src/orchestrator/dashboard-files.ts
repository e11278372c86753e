/**
 * The dashboard's static files, read once when the server starts into a fixed table of URL path →
 * bytes and type. Only the paths in that table are ever served: nothing the request names is
 * joined to a folder and read, so `..`, encoded slashes or a symlink planted later reach no file.
 * A file of a type not listed here is left out (and said so in the server's log).
 */
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";

export interface DashboardFile {
  readonly body: Buffer;
  readonly contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".woff2": "font/woff2",
};

/** A dashboard made of few, small files; a folder holding more is not the dashboard's. */
const MAX_FILES = 500;

/**
 * The files under `dir` by URL path (`/index.html`, `/assets/app.js`); `/` is `/index.html`.
 * A missing folder gives an empty table (the server then says where it looked).
 */
export function loadDashboardFiles(dir: string, log: (message: string) => void = () => undefined): Map<string, DashboardFile> {
  const files = new Map<string, DashboardFile>();
  let root: string;
  try {
    root = realpathSync(dir);
  } catch {
    return files;
  }
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && statSync(full).isFile()) {
        const contentType = CONTENT_TYPES[path.extname(entry.name).toLowerCase()];
        const urlPath = `/${path.relative(root, full).split(path.sep).join("/")}`;
        if (contentType === undefined) log(`The dashboard file ${full} is not served: its type is not one the dashboard uses (${Object.keys(CONTENT_TYPES).join(", ")}).`);
        else if (files.size >= MAX_FILES) throw new Error(`The dashboard folder ${root} holds more than ${MAX_FILES} files: point the server at the dashboard's build (runtime/dist/dashboard).`);
        else files.set(urlPath, { body: readFileSync(full), contentType });
      }
    }
  };
  walk(root);
  const index = files.get("/index.html");
  if (index !== undefined) files.set("/", index);
  return files;
}
