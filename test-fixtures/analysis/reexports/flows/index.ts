export { alpha as first } from "./impl-a";
export * from "./impl-b";
export { default as gamma } from "./impl-c";
