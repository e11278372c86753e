import type { BaseParams } from "./base";

// An interface extended across files.
export interface LoadParams extends BaseParams {
  mode?: "append" | "replace";
}

interface Tagged {
  tags: string[];
}
export type { Tagged as Tags };
