#!/usr/bin/env bash
# What `npm test` needs beyond npm packages: Debian's Chromium for the console's browser tests (test/console).
# Idempotent: installs only what is missing; uses sudo when not root. Playwright never downloads a browser here.
set -euo pipefail

if [ -n "${TESSERA_CHROMIUM:-}" ] && [ -x "${TESSERA_CHROMIUM}" ]; then
  echo "install-test-deps: using TESSERA_CHROMIUM=${TESSERA_CHROMIUM}"
  exit 0
fi
if [ -x /usr/bin/chromium ]; then
  echo "install-test-deps: chromium already installed ($(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-test-deps: need root or sudo to apt-get install chromium (or set TESSERA_CHROMIUM)" >&2
    exit 1
  fi
fi
echo "install-test-deps: installing chromium from the distribution's packages"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
