/**
 * The custom protocol between the Tributary language server and its clients, declared once: the
 * extension imports this file too. Commands are the extension's; the server's code lenses carry
 * the arguments described here.
 */
import { RequestType } from "vscode-languageserver-protocol";
import type { GraphDetailsJson, GraphJson, JsonSchema } from "./analysis/index.js";

/** What the extension tells the language server when it starts it (`initializationOptions`). */
export interface InitializationOptions {
  /**
   * Whether VS Code trusts the workspace. Only then may the server load the analysis of the
   * workspace's own tributaryjs (code from its node_modules). @default false
   */
  workspaceTrusted?: boolean;
}

export interface GraphParams {
  /** A file of the workspace folder whose graph is wanted; the first folder when absent. */
  uri?: string;
}

/** The static dependency graph of a workspace folder, in the JSON shape of `tributary graph` (DESIGN.md §3). */
// eslint-disable-next-line @typescript-eslint/no-namespace -- the vscode-languageserver convention for protocol messages
export namespace GraphRequest {
  export const method = "tributary/graph";
  export const type = new RequestType<GraphParams, GraphJson, void>(method);
}

/**
 * The graph as the graph view draws it: `tributary/graph` plus whether each edge waits, what a
 * trigger comes through, and the reported TRB100/TRB101 cycles with their messages.
 */
// eslint-disable-next-line @typescript-eslint/no-namespace -- the vscode-languageserver convention for protocol messages
export namespace GraphDetailsRequest {
  export const method = "tributary/graphDetails";
  export const type = new RequestType<GraphParams, GraphDetailsJson, void>(method);
}

/** The commands code lenses name, with their arguments. */
export const Commands = {
  /** Arguments: one {@link RunFlowArguments}. */
  runFlow: "tributary.runFlow",
  /** Arguments: one {@link RunFlowArguments} with `parameterSchema`. */
  runFlowWithParameters: "tributary.runFlowWithParameters",
  /** Arguments: one {@link ShowDependencyGraphArguments}. */
  showDependencyGraph: "tributary.showDependencyGraph",
  /** Arguments: one {@link RunDeploymentArguments}. */
  runDeployment: "tributary.runDeployment",
  /** Arguments: one {@link ShowDeploymentArguments}. */
  showDeployment: "tributary.showDeployment",
  /** The quick fix of TRB160. Arguments: one {@link InstallPackageArguments}. */
  installPackage: "tributary.installPackage",
} as const;

export interface RunFlowArguments {
  /** The flow file, an absolute path. */
  file: string;
  /** The export `tributary run file.ts:<exportName>` takes; absent when the flow is not exported. */
  exportName: string | undefined;
  flowName: string;
  parameterSchema?: JsonSchema;
}

export interface ShowDependencyGraphArguments {
  /** The node to centre on: `flow:<name>`, `deployment:<flow>/<name>`, `automation:<name>`. */
  focus: string;
}

export interface RunDeploymentArguments {
  /** `<flow-name>/<deployment-name>`. */
  deploymentName: string;
  parameterSchema: JsonSchema | undefined;
}

export interface ShowDeploymentArguments {
  deploymentName: string;
}

export interface InstallPackageArguments {
  /** The flow file whose import of tributaryjs resolves nothing, an absolute path: the install runs for its project. */
  file: string;
}
