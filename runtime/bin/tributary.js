#!/usr/bin/env node
// The CLI is bundled by scripts/build.mjs; run `npm run build` after changing sources.
require("../dist/cli/main.js");
