/** Exit codes of the `tributary` command. */
export const ExitCode = {
  ok: 0,
  /** The run failed, crashed or timed out; or an unexpected error. */
  runFailed: 1,
  /** Bad input: a missing file, an unknown flow, parameters that are not JSON. Nothing was written. */
  usage: 2,
  /** The run was cancelled with Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;
