/**
 * Deployments and automations declared by the modules loaded in this process (`deploy(...)`,
 * `automation(...)`). Declaring has no other effect: `tributary deploy` and `tributary run` load a
 * flow file and read what it declared from here. Kept on globalThis so bundled copies share it.
 *
 * Each declaration remembers the module whose top-level code made it: a file that imports another
 * runs that file's `deploy(...)` calls too, yet those deployments belong to the other file (their
 * entrypoint is there). The CLI's bundler marks each module's evaluation on a stack
 * ({@link LOADING_MODULES_KEY}; cli/run/bundle-flow-file.ts); outside it, the module is unknown.
 */
export interface Declaration {
  kind: "deployment" | "automation";
  /** Deployments: `"<flow-name>/<name>"`; automations: their name. */
  name: string;
}

/** A declaration and the file of the module being loaded when it was made, when known. */
export interface DeclaredEntry<T extends Declaration = Declaration> {
  declaration: T;
  module?: string;
}

/**
 * `Symbol.for` key of the stack of modules being evaluated (absolute file paths, innermost last),
 * pushed and popped by code the CLI's bundler adds around each module's own code.
 */
export const LOADING_MODULES_KEY = "tributary.loadingModules";

const KEY = Symbol.for("tributary.declared");

function entries(): DeclaredEntry[] {
  const holder = globalThis as { [KEY]?: DeclaredEntry[] };
  return (holder[KEY] ??= []);
}

/** Every declaration made in this process, in order. */
export function declarations<T extends Declaration = Declaration>(): T[] {
  return entries().map((entry) => entry.declaration as T);
}

/** Every declaration with the module that made it. */
export function declaredEntries(): readonly DeclaredEntry[] {
  return entries();
}

export function declare<T extends Declaration>(declaration: T): T {
  const loading = (globalThis as Record<symbol, string[] | undefined>)[Symbol.for(LOADING_MODULES_KEY)];
  const module = loading?.at(-1);
  entries().push(module !== undefined ? { declaration, module } : { declaration });
  return declaration;
}
