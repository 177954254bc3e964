#!/usr/bin/env bash
# `npm run bench`: installs (quietly, unless it fails), builds the benchmarks and what they measure,
# runs them. Arguments go to the benchmarks: npm run bench -- --only e2e
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p .ci-out
if ! bash scripts/bootstrap.sh >.ci-out/bench-setup.log 2>&1; then
  tail -n 30 .ci-out/bench-setup.log >&2
  exit 1
fi
# shellcheck source=scripts/pnpm-env.sh
source scripts/pnpm-env.sh
export TURBO_TELEMETRY_DISABLED=1
if ! pnpm exec turbo run build --filter=@org/bench... --output-logs=errors-only >.ci-out/bench-build.log 2>&1; then
  tail -n 30 .ci-out/bench-build.log >&2
  exit 1
fi
exec pnpm --dir bench bench "$@"
