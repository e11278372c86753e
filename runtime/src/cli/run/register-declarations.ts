/**
 * Registering loaded declarations with a server, through its HTTP API: the one way `tributary
 * deploy` and `tributary run` do it. The server answers created / updated / unchanged for each.
 */
import type { AutomationRecord, DeploymentRecord, UpsertResult } from "../../orchestrator/contract.js";
import type { ServerConnection } from "../server-connection.js";
import type { FileDeclarations } from "./load-declarations.js";

export interface Registration {
  deployments: UpsertResult<DeploymentRecord>[];
  automations: UpsertResult<AutomationRecord>[];
}

export async function registerDeclarations(server: ServerConnection, loaded: FileDeclarations): Promise<Registration> {
  const deployments = loaded.deployments.length
    ? (await server.request<{ results: UpsertResult<DeploymentRecord>[] }>("POST", "/api/deployments", { deployments: loaded.deployments })).body.results
    : [];
  const automations = loaded.automations.length
    ? (await server.request<{ results: UpsertResult<AutomationRecord>[] }>("POST", "/api/automations", { automations: loaded.automations })).body.results
    : [];
  return { deployments, automations };
}

/**
 * One line for a registration that changed something — `Registered with <where>: 1 deployment
 * created, 1 automation updated, 2 unchanged.` — or undefined when everything was unchanged.
 */
export function registrationSummary(registration: Registration, where: string): string | undefined {
  const counts: string[] = [];
  for (const status of ["created", "updated"] as const) {
    const deployments = registration.deployments.filter((r) => r.status === status).length;
    const automations = registration.automations.filter((r) => r.status === status).length;
    if (deployments > 0) counts.push(`${plural(deployments, "deployment")} ${status}`);
    if (automations > 0) counts.push(`${plural(automations, "automation")} ${status}`);
  }
  if (counts.length === 0) return undefined;
  const unchanged = [...registration.deployments, ...registration.automations].filter((r) => r.status === "unchanged").length;
  if (unchanged > 0) counts.push(`${unchanged} unchanged`);
  return `Registered with ${where}: ${counts.join(", ")}.`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
