/**
 * The one settings type of the language server, `tributary.*` in the editor's configuration
 * (the extension's package.json declares the same keys).
 */
export interface TributarySettings {
  diagnostics: {
    /** Publish findings as diagnostics. @default true */
    enable: boolean;
  };
  codeLens: {
    /** Show Run / upstream-downstream lenses over flows, deployments and automations. @default true */
    enable: boolean;
  };
  trace: {
    /** How much of the protocol the client logs ("off" | "messages" | "verbose"); read by the client. @default "off" */
    server: "off" | "messages" | "verbose";
  };
}

export const DEFAULT_SETTINGS: TributarySettings = {
  diagnostics: { enable: true },
  codeLens: { enable: true },
  trace: { server: "off" },
};

/** Whatever the client sent for `tributary`, over the defaults; values of the wrong type are ignored. */
export function toSettings(raw: unknown): TributarySettings {
  const section = isObject(raw) ? raw : {};
  const bool = (group: unknown, key: string, fallback: boolean) => (isObject(group) && typeof group[key] === "boolean" ? group[key] : fallback);
  const trace = isObject(section.trace) ? section.trace.server : undefined;
  return {
    diagnostics: { enable: bool(section.diagnostics, "enable", DEFAULT_SETTINGS.diagnostics.enable) },
    codeLens: { enable: bool(section.codeLens, "enable", DEFAULT_SETTINGS.codeLens.enable) },
    trace: { server: trace === "messages" || trace === "verbose" || trace === "off" ? trace : DEFAULT_SETTINGS.trace.server },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
