import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { daemonEnabled, DEFAULT_IDLE_SECONDS, idleSeconds } from "./service-settings.js";

describe("the check service's settings", () => {
  it("is on by default on Linux and macOS, and off with --no-daemon, TRIBUTARY_DAEMON=0|false, CI, and on Windows", () => {
    assert.equal(daemonEnabled({}, false, "linux"), true);
    assert.equal(daemonEnabled({}, false, "darwin"), true);
    assert.equal(daemonEnabled({ CI: "false" }, false, "linux"), true);
    assert.equal(daemonEnabled({ TRIBUTARY_DAEMON: "1" }, false, "linux"), true);
    assert.equal(daemonEnabled({}, true, "linux"), false);
    assert.equal(daemonEnabled({ TRIBUTARY_DAEMON: "0" }, false, "linux"), false);
    assert.equal(daemonEnabled({ TRIBUTARY_DAEMON: " False " }, false, "linux"), false);
    assert.equal(daemonEnabled({ CI: "true" }, false, "linux"), false);
    assert.equal(daemonEnabled({ TRIBUTARY_DAEMON: "1" }, false, "win32"), false);
  });

  it("waits TRIBUTARY_DAEMON_IDLE_SECONDS when it is a positive number, else 15 minutes", () => {
    assert.equal(idleSeconds({ TRIBUTARY_DAEMON_IDLE_SECONDS: "2" }), 2);
    for (const bad of ["0", "-3", "soon", ""]) assert.equal(idleSeconds({ TRIBUTARY_DAEMON_IDLE_SECONDS: bad }), DEFAULT_IDLE_SECONDS, bad);
    assert.equal(DEFAULT_IDLE_SECONDS, 900);
  });
});
