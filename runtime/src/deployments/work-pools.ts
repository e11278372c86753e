/**
 * Work pools: a deployment names the pool whose workers execute its runs (`deploy(…, { pool })`);
 * a worker serves one or more pools (`--pool`). Without either, it is pool "default".
 */

export const DEFAULT_POOL = "default";

/** A pool's name: what a command line and a URL carry without quoting. */
export const POOL_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$";
const POOL_NAME = new RegExp(POOL_NAME_PATTERN);
export const POOL_NAME_RULE = "a pool name: letters, digits, '.', '_' or '-', starting with a letter or digit, at most 63 characters";

export function isPoolName(value: unknown): value is string {
  return typeof value === "string" && POOL_NAME.test(value);
}

/** The pool a deployment's runs go to. */
export function poolOf(deployment: { pool?: string | undefined }): string {
  return deployment.pool ?? DEFAULT_POOL;
}
