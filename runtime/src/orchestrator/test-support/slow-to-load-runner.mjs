// The real runner, loaded 2.5 s late (runner-pool.test.ts): a runner process that is alive but slow
// to start, as on a loaded machine, must not be taken for frozen before it could say anything.
/* global setTimeout */
setTimeout(() => void import(new URL("../../../dist/cli/run-child.js", import.meta.url).href), 2500);
