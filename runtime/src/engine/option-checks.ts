/**
 * Validation of the options given to `flow`, `task` and their `withOptions`, at construction.
 * Messages say what was expected and what came, like p-retry's:
 * ``Expected `retries` to be a non-negative integer, got `-1` (number)``.
 */
import { InvalidOptionError } from "../errors.js";

/** `-1`, `"3"`, `[object Array]`… as a message shows it. */
export function describeValue(value: unknown): string {
  let shown: string;
  if (typeof value === "string") shown = JSON.stringify(value);
  else if (typeof value === "function") shown = value.name ? `function ${value.name}` : "function";
  else if (typeof value === "bigint") shown = `${value}n`;
  else if (value !== null && typeof value === "object") {
    try {
      shown = JSON.stringify(value) ?? String(value);
    } catch {
      shown = Object.prototype.toString.call(value);
    }
    if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
  } else shown = String(value);
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  return `\`${shown}\` (${kind})`;
}

export class OptionChecker {
  constructor(
    /** `task "extract"`, `flow "etl"`: who the options belong to. */
    private readonly owner: string,
    private readonly options: Record<string, unknown>,
  ) {}

  fail(key: string, expected: string): never {
    throw new InvalidOptionError(
      `Expected \`${key}\` to be ${expected}, got ${describeValue(this.options[key])} — in the options of ${this.owner}.`,
    );
  }

  has(key: string): boolean {
    return this.options[key] !== undefined;
  }

  onlyKnown(known: readonly string[]): void {
    for (const key of Object.keys(this.options)) {
      if (!known.includes(key)) {
        throw new InvalidOptionError(
          `Unknown option \`${key}\` in the options of ${this.owner}; expected one of: ${known.map((k) => `\`${k}\``).join(", ")}.`,
        );
      }
    }
  }

  string(key: string): void {
    const value = this.options[key];
    if (value !== undefined && typeof value !== "string") this.fail(key, "a string");
  }

  boolean(key: string): void {
    const value = this.options[key];
    if (value !== undefined && typeof value !== "boolean") this.fail(key, "a boolean");
  }

  nonNegativeInteger(key: string): void {
    const value = this.options[key];
    if (value !== undefined && !(typeof value === "number" && Number.isInteger(value) && value >= 0)) {
      this.fail(key, "a non-negative integer");
    }
  }

  nonNegativeNumber(key: string): void {
    const value = this.options[key];
    if (value !== undefined && !isNonNegativeNumber(value)) this.fail(key, "a non-negative number");
  }

  positiveNumber(key: string): void {
    const value = this.options[key];
    if (value !== undefined && !(typeof value === "number" && Number.isFinite(value) && value > 0)) {
      this.fail(key, "a positive number of seconds");
    }
  }

  function(key: string): void {
    const value = this.options[key];
    if (value !== undefined && typeof value !== "function") this.fail(key, "a function");
  }

  tags(key: string): void {
    const value = this.options[key];
    if (value === undefined) return;
    if (!Array.isArray(value) || !value.every((tag) => typeof tag === "string" && tag.trim() !== "")) {
      this.fail(key, "an array of non-empty strings");
    }
  }

  hooks(key: string): void {
    const value = this.options[key];
    if (value === undefined || typeof value === "function") return;
    if (!Array.isArray(value) || !value.every((hook) => typeof hook === "function")) {
      this.fail(key, "a function or an array of functions");
    }
  }

  /** `number | number[] | (attempt) => number`, all in seconds. */
  retryDelay(key: string): void {
    const value = this.options[key];
    if (value === undefined || typeof value === "function" || isNonNegativeNumber(value)) return;
    if (Array.isArray(value) && value.length > 0 && value.every(isNonNegativeNumber)) return;
    this.fail(key, "a non-negative number of seconds, a non-empty array of them, or a function of the attempt");
  }
}

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/** The name given to `flow(name, …)` / `task(name, …)`. */
export function checkName(kind: "flow" | "task", name: unknown): asserts name is string {
  if (typeof name !== "string" || name.trim() === "") {
    throw new InvalidOptionError(`Expected the name of a ${kind} to be a non-empty string, got ${describeValue(name)}.`);
  }
}

export function checkFunction(owner: string, fn: unknown): asserts fn is (...args: never[]) => unknown {
  if (typeof fn !== "function") {
    throw new InvalidOptionError(`Expected the function of ${owner} to be a function, got ${describeValue(fn)}.`);
  }
}

/** `[]` for no hooks, so the engine can loop without checking. */
export function hookList<H>(hooks: H | readonly H[] | undefined): readonly H[] {
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? hooks : [hooks as H];
}
