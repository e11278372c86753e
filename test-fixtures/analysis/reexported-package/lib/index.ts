// A re-export of a re-export: `from "../lib"` reaches "tributaryjs" too.
export * from "./tributary";
