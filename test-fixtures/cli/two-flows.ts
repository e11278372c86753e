// Two flows and no default export: `tributary run` must be told which one.
import { flow } from "tributaryjs";

export const extractFlow = flow("extract-flow", async () => "extracted");
export const loadFlow = flow("load-flow", async () => "loaded");
