#!/usr/bin/env bash
# Gets pnpm 10.34.9 on a machine that has only node and npm, then installs the workspace.
# corepack cannot be used here (the registry serves no package signatures), so pnpm comes from npm.
# Usage: bash scripts/bootstrap.sh   (idempotent; prints the pnpm it uses to stderr)
set -euo pipefail
PNPM_VERSION=10.34.9
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

have_pnpm() { command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; }

if ! have_pnpm; then
  # A local copy first when the global prefix is not writable.
  if ! npm install -g --force "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
    npm install --prefix "$root/.tools" --no-save "pnpm@$PNPM_VERSION" >/dev/null
    export PATH="$root/.tools/node_modules/.bin:$PATH"
  fi
fi
have_pnpm || { echo "bootstrap: could not get pnpm $PNPM_VERSION" >&2; exit 1; }
echo "bootstrap: pnpm $(pnpm --version) at $(command -v pnpm)" >&2

export TURBO_TELEMETRY_DISABLED=1
pnpm install --frozen-lockfile --reporter=append-only >&2
