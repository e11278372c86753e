/**
 * What the Deployments and Automations views share: following the orchestration server (events,
 * reconnects, state changes) and drawing an {@link IconSpec}.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import type { TributaryEvent } from "../server/tributary-api.js";
import type { IconSpec } from "./deployment-item.js";

export interface LiveTree {
  onEvent(event: TributaryEvent): void;
  /** Load again: events may have been missed, or the server was just reached. */
  reload(): void;
  /** Show nothing: the server is gone. */
  clear(): void;
}

export function liveTreeSubscriptions(ctx: Ctx, tree: LiveTree): vscode.Disposable[] {
  const orchestration = ctx.orchestration;
  return [
    orchestration.onEvent((event) => tree.onEvent(event)),
    orchestration.onDidResync(() => tree.reload()),
    orchestration.onDidChangeState((state) => {
      if (state === "connected") tree.reload();
      else if (state !== "connecting") tree.clear();
    }),
  ];
}

export function themeIcon(icon: IconSpec): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon.id, icon.color !== undefined ? new vscode.ThemeColor(icon.color) : undefined);
}
