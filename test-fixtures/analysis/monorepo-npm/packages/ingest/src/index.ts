export { ingest, nightly } from "./ingest";
