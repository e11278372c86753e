import path from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import { CONFIG_FILE, PACKAGE_JSON } from "./config-file-names.js";
import { nodeFileHost, type FileHost } from "./file-host.js";
import { TRB_CODES } from "./trb-rules.js";

/** What a project may say about its analysis, in `tributary.config.json` or under `tributary` in package.json. */
export interface TributaryConfig {
  /** Globs (relative to the config's folder) of the files to check. @default every file */
  include?: string[];
  /** Globs (relative to the config's folder) of the files never to check. @default none */
  exclude?: string[];
  /**
   * The severity of each code, over its default; `off` drops the finding.
   * @example { "TRB150": "off", "TRB130": "error" }
   */
  severity?: Partial<Record<string, ConfigSeverity>>;
}

export const CONFIG_SEVERITIES = ["error", "warning", "info", "hint", "off"] as const;
export type ConfigSeverity = (typeof CONFIG_SEVERITIES)[number];

export { CONFIG_FILE, PACKAGE_JSON };

/** The config of a project, found and checked. */
export type ConfigLookup =
  /** No config: every flow file is checked with the default severities. `dir` is the project folder, if one was found. */
  | { kind: "none"; dir: string | undefined }
  | { kind: "found"; dir: string; file: string; config: TributaryConfig }
  /** A config that cannot be used: `file` is the file to fix, `message` says what and how. */
  | { kind: "invalid"; dir: string; file: string; message: string };

const SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    include: { type: "array", items: { type: "string", minLength: 1 } },
    exclude: { type: "array", items: { type: "string", minLength: 1 } },
    severity: { type: "object", propertyNames: { enum: TRB_CODES }, additionalProperties: { enum: CONFIG_SEVERITIES } },
  },
} as const;

// Made on first use: most projects have no config to check (a package.json without a "tributary"
// key), and evaluating ajv and compiling its meta-schema costs ~250 ms of every start of
// `tributary check` and the language server that loads this module.
let validateConfig: ValidateFunction<TributaryConfig> | undefined;

function validator(): ValidateFunction<TributaryConfig> {
  if (validateConfig === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose (above); esbuild still bundles it
    const { default: Ajv } = require("ajv") as typeof import("ajv");
    validateConfig = new Ajv({ allErrors: false }).compile<TributaryConfig>(SCHEMA);
  }
  return validateConfig;
}

/**
 * The project folder of `startDir` is the nearest folder, from `startDir` up, holding a
 * `tributary.config.json` or a `package.json` (a package.json is where a project ends, with or
 * without a `tributary` key). Its config comes from one of the two; both at once is refused, as a
 * config that is not what the schema says, naming the file, the field and the value.
 */
export function findProjectConfig(startDir: string, host: FileHost = nodeFileHost): ConfigLookup {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    const configFile = path.join(dir, CONFIG_FILE);
    const packageFile = path.join(dir, PACKAGE_JSON);
    const hasConfig = host.fileExists(configFile);
    const hasPackage = host.fileExists(packageFile);
    if (hasConfig || hasPackage) return readProjectConfig(dir, hasConfig ? configFile : undefined, hasPackage ? packageFile : undefined, host);
    if (path.dirname(dir) === dir) return { kind: "none", dir: undefined };
  }
}

/** The files whose change may change the config of a project found from `startDir`. */
export function configFilesAbove(startDir: string): string[] {
  const files: string[] = [];
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    files.push(path.join(dir, CONFIG_FILE), path.join(dir, PACKAGE_JSON));
    if (path.dirname(dir) === dir) return files;
  }
}

function readProjectConfig(dir: string, configFile: string | undefined, packageFile: string | undefined, host: FileHost): ConfigLookup {
  let fromPackage: unknown;
  if (packageFile) {
    const parsed = parseJson(packageFile, host);
    if (parsed.error !== undefined) {
      // A package.json npm cannot read either; only worth stopping for when it might hold our key.
      if (!configFile && host.readFile(packageFile)?.includes('"tributary"')) return { kind: "invalid", dir, file: packageFile, message: parsed.error };
    } else if (isObject(parsed.value)) fromPackage = parsed.value.tributary;
  }
  if (configFile && fromPackage !== undefined) {
    return {
      kind: "invalid",
      dir,
      file: configFile,
      message: `Both ${CONFIG_FILE} and the "tributary" key of ${PACKAGE_JSON} configure this project; keep one of them (remove the key, or move it into ${CONFIG_FILE}).`,
    };
  }
  if (configFile) {
    const parsed = parseJson(configFile, host);
    if (parsed.error !== undefined) return { kind: "invalid", dir, file: configFile, message: parsed.error };
    return checked(dir, configFile, parsed.value, "");
  }
  if (fromPackage === undefined) return { kind: "none", dir };
  return checked(dir, packageFile!, fromPackage, "tributary");
}

function checked(dir: string, file: string, value: unknown, prefix: string): ConfigLookup {
  const validate = validator();
  if (validate(value)) return { kind: "found", dir, file, config: value };
  return { kind: "invalid", dir, file, message: describeError(validate.errors?.[0], value, prefix) };
}

/** One ajv error as a sentence naming the field, the value and what to write instead. */
function describeError(error: ErrorObject | undefined, root: unknown, prefix: string): string {
  if (!error) return "The configuration is not valid.";
  const segments = error.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const field = [prefix, ...segments].filter((s) => s !== "").join(".") || "(the configuration)";
  const value = segments.reduce<unknown>((v, key) => (isObject(v) || Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined), root);
  const params = error.params as Record<string, unknown>;
  // ajv reports a bad key of `severity` as the enum error of its propertyNames, naming the key.
  if (error.propertyName !== undefined) return `"${error.propertyName}" in "${field}" is not a Tributary code; use one of ${TRB_CODES.join(", ")}.`;
  switch (error.keyword) {
    case "additionalProperties":
      return `Unknown field "${[field === "(the configuration)" ? "" : field, String(params.additionalProperty)].filter(Boolean).join(".")}"; the fields are include, exclude and severity.`;
    case "enum":
      return `"${field}" is ${show(value)}; use one of ${CONFIG_SEVERITIES.join(", ")}.`;
    case "minLength":
      return `"${field}" is an empty glob; write a glob such as "flows/**".`;
    case "type":
      if (params.type === "object") return `"${field}" is ${show(value)}; it must be an object${field.endsWith("severity") ? ' such as { "TRB150": "off" }' : ""}.`;
      if (params.type === "array") return `"${field}" is ${show(value)}; it must be an array of globs such as ["flows/**"].`;
      return `"${field}" is ${show(value)}; it must be a ${String(params.type)}.`;
    default:
      return `"${field}" is ${show(value)}: ${error.message ?? "not valid"}.`;
  }
}

function parseJson(file: string, host: FileHost): { value?: unknown; error?: string } {
  const text = host.readFile(file);
  if (text === undefined) return { error: `${path.basename(file)} could not be read.` };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `${path.basename(file)} is not valid JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return `${text.length > 60 ? `${text.slice(0, 57)}...` : text} (${Array.isArray(value) ? "array" : value === null ? "null" : typeof value})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
