/**
 * The version of the analysis API (`analysis-api.ts`), in a file of its own so that the language
 * server can compare it with a loaded copy's without bundling the analysis (and the TypeScript
 * compiler it carries) itself.
 */
export const ANALYSIS_API_VERSION = 1;
