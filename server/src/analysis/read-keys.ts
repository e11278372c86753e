/**
 * What a part of the workspace join read of the workspace's names, as keys the incremental join
 * (`workspace-join.ts`) compares between analyses: a part is computed again when a key it read
 * changed. Node ids (`flow:<name>`, `deployment:<name>`, …) stand for that name's declarations.
 */
export type ReadKeys = Set<string>;

/** Which flow names exist (did-you-mean suggestions, name patterns, triggers on every flow). */
export const FLOW_NAMES = "names:flow";
/** Which deployment names exist, and the flow of each one's first declaration. */
export const DEPLOYMENT_NAMES = "names:deployment";
/** The tags of every flow (triggers on tagged flows). */
export const FLOW_TAGS = "tags:flow";
/** The facts of one file (the helpers a flow body calls there). */
export const fileKey = (file: string) => `file:${file}`;
/** Whether some flow or task reaches a helper function. */
export const helperKey = (key: string) => `helper:${key}`;
/** Whether something runs a deployment by name. */
export const runReferenceKey = (name: string) => `run-reference:${name}`;
