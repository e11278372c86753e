#!/usr/bin/env node
// The CLI is bundled by scripts/build.mjs; run `npm run build` after changing sources.
// A `tributary check` is first offered to the check service (dist/cli/check-client.js, small: no
// commander, no analysis); when none answers, the CLI runs as always.
const argv = process.argv.slice(2);
if (argv[0] === "check") {
  const cli = () => require("../dist/cli/main.js");
  require("../dist/cli/check-client.js")
    .answerFromService(argv, require("node:path").join(__dirname, "../dist/cli"))
    .then((code) => (code === undefined ? cli() : (process.exitCode = code)), cli);
} else {
  require("../dist/cli/main.js");
}
