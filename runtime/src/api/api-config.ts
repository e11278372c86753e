/** Where the server is: TRIBUTARY_API_URL and TRIBUTARY_API_TOKEN, read when a call is made. */
import { API_TOKEN_ENV, API_URL_ENV } from "../orchestrator/contract.js";
import { NoServerError } from "./client-errors.js";

export interface ApiConfig {
  /** `http://127.0.0.1:4200`, without a trailing slash. */
  url: string;
  token?: string;
}

/** The configured server; `caller` names the API that needs it, for the message. */
export function resolveApiConfig(caller: string, env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const url = env[API_URL_ENV]?.trim();
  if (!url) {
    throw new NoServerError(
      `${caller} needs a Tributary server, and ${API_URL_ENV} is not set: start one with \`tributary server start\` ` +
        `(then set ${API_URL_ENV}=http://127.0.0.1:4200), or run the flow with \`tributary run\`, which provides one.`,
    );
  }
  const config: ApiConfig = { url: url.replace(/\/+$/, "") };
  const token = env[API_TOKEN_ENV]?.trim();
  if (token) config.token = token;
  return config;
}

export function authorizationHeaders(config: ApiConfig): Record<string, string> {
  return config.token === undefined ? {} : { authorization: `Bearer ${config.token}` };
}
