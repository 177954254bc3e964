#!/usr/bin/env bash
# `npm run demo`: installs (quietly, unless it fails), builds the demo and what it uses, runs it.
# Arguments go to the demo: npm run demo -- --help
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p .ci-out
[ -d node_modules ] || echo "Setting up: the first run installs and builds (about a minute)..." >&2
if ! bash scripts/bootstrap.sh >.ci-out/demo-setup.log 2>&1; then
  tail -n 30 .ci-out/demo-setup.log >&2
  exit 1
fi
source scripts/pnpm-env.sh
export TURBO_TELEMETRY_DISABLED=1
if ! pnpm exec turbo run build --filter=@org/demo... --output-logs=errors-only >.ci-out/demo-build.log 2>&1; then
  tail -n 30 .ci-out/demo-build.log >&2
  exit 1
fi
exec node apps/demo/dist/main.js "$@"
