/** The `call-webhook` action: one HTTP request with fetch, its URL, headers and body templated. */
import type { CallWebhookAction } from "./action-types.js";
import { renderTemplate, type TemplateContext } from "./template.js";

const WEBHOOK_TIMEOUT_MS = 10_000;

export async function callWebhook(action: CallWebhookAction, context: TemplateContext): Promise<number> {
  const url = String(renderTemplate(action.url, context));
  const method = action.method ?? "POST";
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(action.headers ?? {})) headers[name.toLowerCase()] = String(renderTemplate(value, context));
  let body: string | undefined;
  if (action.body !== undefined && method !== "GET") {
    const rendered = renderTemplate(action.body, context);
    if (typeof rendered === "string") body = rendered;
    else {
      body = JSON.stringify(rendered);
      headers["content-type"] ??= "application/json";
    }
  }
  const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
  // Drain the body so the connection is released.
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`the webhook ${method} ${url} answered ${response.status} ${response.statusText}`.trim());
  return response.status;
}
