export * from "./flows/load";
