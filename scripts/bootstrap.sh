#!/usr/bin/env bash
# Gets pnpm 10.34.9 on a machine that has only node and npm, then installs the workspace.
# corepack cannot be used here (the registry serves no package signatures), so pnpm comes from npm,
# into .tools/ unless the pnpm on PATH is already that version.
# Usage: bash scripts/bootstrap.sh   (idempotent; prints the pnpm it uses to stderr)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/pnpm-env.sh
source scripts/pnpm-env.sh

have_pnpm() { pnpm_in_tools || [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; }

if ! have_pnpm; then
  # Installed into the project (.tools), so that a pnpm of another version on this machine stays as
  # it is; pnpm-env.sh puts this copy first on PATH for the project's scripts.
  npm install --prefix "$root/.tools" --no-save --no-audit --no-fund "pnpm@$PNPM_VERSION" >/dev/null
fi
have_pnpm || { echo "bootstrap: could not get pnpm $PNPM_VERSION" >&2; exit 1; }
echo "bootstrap: pnpm $PNPM_VERSION at $(command -v pnpm)" >&2

# An install is skipped when nothing it reads changed since the last one (the lockfile, every
# package.json, the workspace file and the pnpm version): a second `npm run demo` starts at once.
stamp_file="node_modules/.bootstrap-stamp"
stamp="$(cat pnpm-lock.yaml pnpm-workspace.yaml package.json packages/*/package.json apps/*/package.json bench/package.json 2>/dev/null | cksum) $PNPM_VERSION"
if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ]; then
  echo "bootstrap: the workspace is installed and unchanged" >&2
  exit 0
fi
export TURBO_TELEMETRY_DISABLED=1
pnpm install --frozen-lockfile --reporter=append-only >&2
echo "$stamp" >"$stamp_file"
