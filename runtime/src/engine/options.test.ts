import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { flow } from "../flow.js";
import { task } from "../task.js";

const noop = async () => undefined;

function rejectsWith(make: () => unknown, pattern: RegExp) {
  assert.throws(make, (error: Error & { code?: string }) => {
    assert.equal(error.name, "InvalidOptionError");
    assert.equal(error.code, "INVALID_OPTION");
    assert.match(error.message, pattern);
    return true;
  });
}

describe("flow options are checked at construction", () => {
  it("says what was expected and what came", () => {
    rejectsWith(() => flow("f", { retries: -1 }, noop), /^Expected `retries` to be a non-negative integer, got `-1` \(number\) — in the options of flow "f"\.$/);
    rejectsWith(() => flow("f", { retries: 1.5 }, noop), /got `1.5` \(number\)/);
    rejectsWith(() => flow("f", { retries: "3" as never }, noop), /Expected `retries` to be a non-negative integer, got `"3"` \(string\)/);
    rejectsWith(() => flow("f", { timeoutSeconds: 0 }, noop), /Expected `timeoutSeconds` to be a positive number of seconds, got `0` \(number\)/);
    rejectsWith(() => flow("f", { tags: ["ok", ""] }, noop), /Expected `tags` to be an array of non-empty strings, got `\["ok",""\]` \(array\)/);
    rejectsWith(() => flow("f", { validateParameters: "yes" as never }, noop), /Expected `validateParameters` to be a boolean/);
    rejectsWith(() => flow("f", { onFailure: [noop, 3 as never] }, noop), /Expected `onFailure` to be a function or an array of functions/);
    rejectsWith(() => flow("f", { retryDelaySeconds: [] }, noop), /Expected `retryDelaySeconds` to be a non-negative number of seconds, a non-empty array of them, or a function of the attempt, got `\[\]` \(array\)/);
    rejectsWith(() => flow("f", { version: 2 as never }, noop), /Expected `version` to be a string, got `2` \(number\)/);
  });

  it("refuses unknown options, a bad name and a missing function", () => {
    rejectsWith(() => flow("f", { retry: 3 } as never, noop), /Unknown option `retry` in the options of flow "f"; expected one of: .*`retries`/);
    rejectsWith(() => flow("", noop), /Expected the name of a flow to be a non-empty string, got `""` \(string\)/);
    rejectsWith(() => flow("f", {}, undefined as never), /Expected the function of flow "f" to be a function, got `undefined` \(undefined\)/);
    rejectsWith(() => flow("f", noop).withOptions({ retries: -2 }), /got `-2`/);
  });
});

describe("task options are checked at construction", () => {
  it("says what was expected and what came", () => {
    rejectsWith(() => task("t", { retries: -1 }, noop), /^Expected `retries` to be a non-negative integer, got `-1` \(number\) — in the options of task "t"\.$/);
    rejectsWith(() => task("t", { retryJitterFactor: -0.1 }, noop), /Expected `retryJitterFactor` to be a non-negative number, got `-0.1` \(number\)/);
    rejectsWith(() => task("t", { retryDelaySeconds: [1, -1] }, noop), /Expected `retryDelaySeconds`/);
    rejectsWith(() => task("t", { cacheKey: "k" as never }, noop), /Expected `cacheKey` to be a function, got `"k"` \(string\)/);
    rejectsWith(() => task("t", { cacheExpirationSeconds: 10 }, noop), /`cacheExpirationSeconds` needs `cacheKey`/);
    rejectsWith(() => task("t", { waitFor: [1 as never] }, noop), /Expected `waitFor` to be an array of task futures/);
    rejectsWith(() => task("t", { timeoutSeconds: Number.POSITIVE_INFINITY }, noop), /Expected `timeoutSeconds` to be a positive number of seconds, got `Infinity`/);
  });

  it("accepts every documented option", () => {
    const t = task(
      "t",
      {
        description: "d",
        tags: ["a"],
        retries: 2,
        retryDelaySeconds: (n) => n,
        retryJitterFactor: 0.2,
        timeoutSeconds: 5,
        cacheKey: () => "k",
        cacheExpirationSeconds: 60,
        onCompletion: noop,
        onFailure: [noop],
      },
      noop,
    );
    assert.equal(t.name, "t");
    assert.equal(t.options.retries, 2);
    assert.equal(t.withOptions({ retries: 0 }).options.retries, 0);
    assert.equal(t.options.retries, 2, "withOptions leaves the original alone");
  });
});
