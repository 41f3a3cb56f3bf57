#!/usr/bin/env bash
# What `npm test` needs beyond npm packages, from the distribution's packages: Chromium for the console's browser
# tests (test/console) and a PostgreSQL server for the PostgreSQL backend's tests (the test run starts its own
# throwaway cluster with it: test/support/postgresCluster.ts). Idempotent: installs only what is missing; uses sudo
# when not root. Playwright never downloads a browser here.
set -euo pipefail

missing=()
if [ -n "${TESSERA_CHROMIUM:-}" ] && [ -x "${TESSERA_CHROMIUM}" ]; then
  echo "install-test-deps: using TESSERA_CHROMIUM=${TESSERA_CHROMIUM}"
elif [ -x /usr/bin/chromium ]; then
  echo "install-test-deps: chromium already installed ($(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium))"
else
  missing+=(chromium)
fi

if [ -n "${TESSERA_TEST_POSTGRES_URL:-}" ]; then
  echo "install-test-deps: using the PostgreSQL server at TESSERA_TEST_POSTGRES_URL"
elif compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  echo "install-test-deps: postgresql already installed ($(ls -d /usr/lib/postgresql/*/bin/initdb | tail -1))"
else
  missing+=(postgresql)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-test-deps: need root or sudo to apt-get install ${missing[*]} (or set TESSERA_CHROMIUM / TESSERA_TEST_POSTGRES_URL)" >&2
    exit 1
  fi
fi
echo "install-test-deps: installing ${missing[*]} from the distribution's packages"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# the package's own cluster is not needed: the tests start theirs
$SUDO env RUNLEVEL=1 apt-get install -y -qq "${missing[@]}" >/dev/null
