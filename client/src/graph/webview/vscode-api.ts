/**
 * The webviews' one tie to VS Code (state that survives hiding the panel, messages to the
 * extension), kept apart from the drawing and zoom code that the dashboard bundles too.
 */
export interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export function vscodeApi<State>(): VsCodeApi<State> {
  return acquireVsCodeApi<State>();
}
