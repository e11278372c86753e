import type { Connection } from "vscode-languageserver";
import { toSettings, type TributarySettings } from "./settings.js";

/**
 * Settings per resource, as vscode-eslint keeps them: pulled with `workspace/configuration` for
 * the document's URI when the client supports it, cached per URI, all dropped when the client says
 * the configuration changed. A client without pull support pushes them with didChangeConfiguration.
 */
export class SettingsCache {
  private readonly byUri = new Map<string, Promise<TributarySettings>>();
  private pushed: TributarySettings = toSettings(undefined);

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
  ) {}

  get(uri: string): Promise<TributarySettings> {
    if (!this.canPull()) return Promise.resolve(this.pushed);
    let settings = this.byUri.get(uri);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri: uri, section: "tributary" }).then(toSettings, () => this.pushed);
      this.byUri.set(uri, settings);
    }
    return settings;
  }

  /** On didChangeConfiguration: forget everything; keep what was pushed for clients that push. */
  changed(pushed: unknown): void {
    this.byUri.clear();
    if (!this.canPull()) this.pushed = toSettings(isObject(pushed) ? pushed.tributary : undefined);
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
