/**
 * Deployments and automations declared by the modules loaded in this process (`deploy(...)`,
 * `automation(...)`). Declaring has no other effect: `tributary deploy` and `tributary run` load a
 * flow file and read what it declared from here. Kept on globalThis so bundled copies share it.
 */
export interface Declaration {
  kind: "deployment" | "automation";
  /** Deployments: `"<flow-name>/<name>"`; automations: their name. */
  name: string;
}

const KEY = Symbol.for("tributary.declarations");

export function declarations<T extends Declaration = Declaration>(): T[] {
  const holder = globalThis as { [KEY]?: Declaration[] };
  return (holder[KEY] ??= []) as T[];
}

export function declare<T extends Declaration>(declaration: T): T {
  declarations().push(declaration);
  return declaration;
}
