/** Points the client API of this process at a server for one test, and back. */
import { API_TOKEN_ENV, API_URL_ENV } from "../../orchestrator/contract.js";

export function useServer(url: string | undefined, token?: string): () => void {
  const before = { url: process.env[API_URL_ENV], token: process.env[API_TOKEN_ENV] };
  const set = (key: string, value: string | undefined) => {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  };
  set(API_URL_ENV, url);
  set(API_TOKEN_ENV, token);
  return () => {
    set(API_URL_ENV, before.url);
    set(API_TOKEN_ENV, before.token);
  };
}
