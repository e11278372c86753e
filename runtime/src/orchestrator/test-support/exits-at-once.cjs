// A child runner stand-in that exits at once (runner-pool.test.ts: a runner that keeps dying).
/* global process */
process.exit(3);
