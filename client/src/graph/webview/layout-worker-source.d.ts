/** The bundled source of layout-worker.ts, put in by scripts/build.mjs (`layoutWorkerSource`). */
declare module "layout-worker-source" {
  const source: string;
  export default source;
}
