/**
 * State-change hooks (`onCompletion`, `onFailure`, …). Each receives a copy of the run record and
 * the state it entered, runs in the run's context (so `getRunLogger()` works), and is awaited. A
 * hook that throws is logged to the run's log and changes nothing else.
 */
import type { State } from "../states.js";
import { toError } from "../errors.js";
import { runInContext, type ExecutionContext } from "./run-context.js";

export type RunHook<Run> = (run: Run, state: State) => unknown;

export async function runHooks<Run extends object>(
  hooks: readonly RunHook<Run>[],
  hookName: string,
  run: Run,
  context: ExecutionContext,
): Promise<void> {
  for (const hook of hooks) {
    try {
      const snapshot = { ...run } as Run & { state: State };
      await runInContext(context, () => hook(snapshot, snapshot.state));
    } catch (thrown) {
      const error = toError(thrown);
      const label = hook.name ? `\`${hook.name}\`` : "(anonymous)";
      context.logger.error(`The ${hookName} hook ${label} threw and was ignored: ${error.stack ?? error.message}`);
    }
  }
}
