/**
 * Checks of trigger and action objects, with messages that name the automation, the path of the
 * bad value and what was expected: ``Expected `trigger.expect[0]` to be a state name (Completed,
 * Failed, …), got `"Done"` (string) — in automation "notify".``
 */
import { InvalidOptionError } from "../errors.js";
import { describeValue } from "../engine/option-checks.js";

export class JsonChecker {
  /** `automation "notify"`, `the triggers of deployment "etl/nightly"`: who the value belongs to. */
  constructor(readonly owner: string) {}

  fail(path: string, expected: string, value: unknown): never {
    throw new InvalidOptionError(`Expected \`${path}\` to be ${expected}, got ${describeValue(value)} — in ${this.owner}.`);
  }

  object(path: string, value: unknown): Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) this.fail(path, "an object", value);
    return value as Record<string, unknown>;
  }

  onlyKnown(path: string, value: Record<string, unknown>, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        throw new InvalidOptionError(
          `Unknown field \`${key}\` in \`${path}\` — in ${this.owner}; expected one of: ${known.map((k) => `\`${k}\``).join(", ")}.`,
        );
      }
    }
  }

  oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
      this.fail(path, `one of ${allowed.map((a) => `"${a}"`).join(", ")}`, value);
    }
    return value as T;
  }

  nonEmptyString(path: string, value: unknown): string {
    if (typeof value !== "string" || value.trim() === "") this.fail(path, "a non-empty string", value);
    return value;
  }

  optionalString(path: string, value: unknown): void {
    if (value !== undefined) this.nonEmptyString(path, value);
  }

  stringList(path: string, value: unknown, { nonEmpty = false } = {}): string[] {
    if (!Array.isArray(value) || (nonEmpty && value.length === 0) || !value.every((v) => typeof v === "string" && v.trim() !== "")) {
      this.fail(path, `${nonEmpty ? "a non-empty" : "an"} array of non-empty strings`, value);
    }
    return value as string[];
  }

  /** A string or a list of strings (wildcards allowed). */
  stringMatch(path: string, value: unknown): void {
    if (typeof value === "string" && value.trim() !== "") return;
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" && v.trim() !== "")) return;
    this.fail(path, "a non-empty string or a non-empty array of them", value);
  }

  positiveNumber(path: string, value: unknown): void {
    if (value !== undefined && !(typeof value === "number" && Number.isFinite(value) && value > 0)) {
      this.fail(path, "a positive number of seconds", value);
    }
  }

  positiveInteger(path: string, value: unknown): void {
    if (value !== undefined && !(typeof value === "number" && Number.isInteger(value) && value > 0)) {
      this.fail(path, "a positive integer", value);
    }
  }
}
