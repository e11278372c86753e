/**
 * What the user reads when the server refuses a deployment run it was asked for, and what they can
 * do next. Pure, so that it is tested without VS Code.
 */

export const RUN_WITH_PARAMETERS = "Run with Parameters…";
export const SHOW_LOG = "Show Log";

export interface RunRefusal {
  message: string;
  /** The toast's buttons, in order. */
  actions: string[];
}

/**
 * A refused run of deployment `name`: the server's sentence (without the `(deployment "…")` it
 * adds, the toast names the deployment already); a 422 (parameters missing or not fitting the
 * schema) offers the parameter prompts; every refusal offers the log, as the other run
 * notifications do.
 */
export function runRefusal(name: string, status: number | undefined, serverMessage: string): RunRefusal {
  const reason = serverMessage.replace(` (deployment "${name}")`, "");
  const actions = status === 422 ? [RUN_WITH_PARAMETERS, SHOW_LOG] : [SHOW_LOG];
  return { message: `Deployment ${name} did not run: ${reason}`, actions };
}
