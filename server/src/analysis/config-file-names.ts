// The files a project's config may live in, apart from the reading and validating of it
// (project-config.ts, with ajv) so that the language server can watch them without that code.
export const CONFIG_FILE = "tributary.config.json";
export const PACKAGE_JSON = "package.json";
