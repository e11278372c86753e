#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100, Node 20), headless Chromium and Node 24 (which runs the
# flows: the .vsix needs node:sqlite) for the end-to-end
# tests, the way issue 5 found to work without downloads outside the npm registry and Debian:
# its own postinstall scripts fetch binaries from GitHub, so they are skipped and the native
# modules rebuilt instead. Idempotent: the install is cached in .cache/code-server/ and a stamp
# file says it finished; a second run only checks and prints what is there.
#
#   scripts/setup-code-server.sh          install when missing
#   scripts/setup-code-server.sh --force  reinstall
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="4.100.3"
CACHE="$PWD/.cache/code-server"
STAMP="$CACHE/.installed-$VERSION"
BIN="$CACHE/node_modules/code-server/out/node/entry.js"
APT_PACKAGES=(libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config ripgrep chromium)
started=$SECONDS

say() { echo "[setup-code-server] $*"; }

missing_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

install_apt_packages() {
  local missing
  missing="$(missing_packages)"
  if [[ -z "$missing" ]]; then
    say "Debian packages present: ${APT_PACKAGES[*]}"
    return
  fi
  local sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  say "installing Debian packages: $missing (apt-get update, then apt-get install)"
  # A fresh machine has no package lists, and stale ones name versions the mirror no longer has:
  # read them once, and only when something is missing (a machine that has everything skips apt).
  $sudo apt-get update >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing >/dev/null
  # The e2e tests start /usr/bin/chromium; say so here rather than as a skip later.
  [[ -x /usr/bin/chromium ]] || { say "apt-get installed chromium but /usr/bin/chromium is missing" >&2; exit 1; }
}

install_code_server() {
  say "installing code-server@$VERSION into $CACHE"
  rm -rf "$CACHE"
  mkdir -p "$CACHE"
  (
    cd "$CACHE"
    echo '{ "name": "code-server-cache", "private": true }' > package.json
    npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION" >/dev/null
    cd node_modules/code-server/lib/vscode
    say "lib/vscode: npm install --omit=dev --ignore-scripts"
    npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
    say "lib/vscode: linking the system rg (the ripgrep postinstall downloads from GitHub)"
    mkdir -p node_modules/@vscode/ripgrep/bin
    ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    say "lib/vscode: rebuilding native modules"
    npm_config_yes=true npm rebuild @vscode/spdlog kerberos native-watchdog node-pty @vscode/deviceid >/dev/null
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sf code-linux.sh code-server)
    (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
    say "lib/vscode/extensions: npm install --omit=dev"
    (cd extensions && npm install --no-audit --no-fund --omit=dev >/dev/null)
  )
  say "rebuilding argon2"
  (cd "$CACHE" && npm_config_yes=true npm rebuild argon2 >/dev/null)
  touch "$STAMP"
}

install_apt_packages
if [[ "${1:-}" == "--force" || ! -f "$STAMP" ]]; then
  install_code_server
else
  say "code-server@$VERSION already installed in $CACHE"
fi

say "code-server: $(node "$BIN" --version 2>/dev/null | grep -E "^[0-9]" | head -n 1)"
say "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing)"
# code-server runs on this Node; flows in the sessions run on Node 24 (node:sqlite), first on its PATH.
say "node for flows: $(node scripts/install-node.mjs 24)"
say "done in $((SECONDS - started)) s"
