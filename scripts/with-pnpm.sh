#!/usr/bin/env bash
# Runs a command of the workspace from a shell that has only Node and npm: what every `npm run`
# script but `npm test` goes through. Installs first when needed (quietly, unless it fails; skipped
# when nothing changed), puts the project's pnpm on PATH, builds what the command uses when asked,
# then runs the command with the workspace's tools on PATH.
# Usage: bash scripts/with-pnpm.sh [--build TURBO_FILTER] COMMAND [ARGS...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
filter=""
if [ "${1:-}" = "--build" ]; then
  filter="$2"
  shift 2
fi
mkdir -p .ci-out
[ -d node_modules ] || echo "Setting up: the first run installs and builds (about a minute)..." >&2
if ! bash scripts/bootstrap.sh >.ci-out/setup.log 2>&1; then
  tail -n 30 .ci-out/setup.log >&2
  exit 1
fi
# shellcheck source=scripts/pnpm-env.sh
source scripts/pnpm-env.sh
export TURBO_TELEMETRY_DISABLED=1
if [ -n "$filter" ]; then
  # The build is skipped when no source, manifest or build setting changed since the last one of the
  # same filter (turbo's own cache would also skip the work, but not the second it takes to start).
  stamp=".ci-out/build-$(printf '%s' "$filter" | tr -c 'A-Za-z0-9' '_').stamp"
  changed=yes
  if [ -f "$stamp" ] && [ -z "$(find packages apps bench tsconfig.base.json turbo.json pnpm-lock.yaml \
    \( -name node_modules -o -name dist -o -name .turbo -o -name coverage \) -prune -o \
    -newer "$stamp" -type f -print -quit)" ]; then
    changed=no
  fi
  if [ "$changed" = yes ]; then
    if ! pnpm exec turbo run build "--filter=$filter" --output-logs=errors-only >.ci-out/build.log 2>&1; then
      tail -n 30 .ci-out/build.log >&2
      exit 1
    fi
    touch "$stamp"
  fi
fi
# `npm run` puts node_modules/.bin on PATH already; from elsewhere, `pnpm exec` does (it takes most
# of a second to start, so only when needed).
if command -v "$1" >/dev/null 2>&1; then exec "$@"; fi
exec pnpm exec "$@"
