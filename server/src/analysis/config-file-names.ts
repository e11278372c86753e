// The files a project's config may live in, apart from the reading and validating of it
// (project-config.ts, with ajv) so that the language server can watch them without that code.
export const CONFIG_FILE = "tributary.config.json";
export const PACKAGE_JSON = "package.json";

/**
 * The files that say where a workspace's packages are and how their imports resolve
 * (workspace-packages.ts, module-resolver.ts): a change to one may send any import elsewhere.
 */
export const WORKSPACE_LAYOUT_FILE = /(?:^|[\\/])(?:package\.json|pnpm-workspace\.yaml|tsconfig[^\\/]*\.json)$/;
/** {@link WORKSPACE_LAYOUT_FILE} as a watcher's glob (package.json is watched as a manifest already). */
export const WORKSPACE_LAYOUT_GLOB = "**/{pnpm-workspace.yaml,tsconfig*.json}";
