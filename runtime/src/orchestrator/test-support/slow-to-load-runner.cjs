// The real runner, loaded 2.5 s late (runner-pool.test.ts): a runner process that is alive but slow
// to start, as on a loaded machine, must not be taken for frozen before it could say anything.
/* global require, setTimeout */
const path = require("node:path");
setTimeout(() => require(path.join(__dirname, "../../../dist/cli/run-child.js")), 2500);
