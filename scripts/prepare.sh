#!/usr/bin/env bash
# Installs (quietly, unless it fails) and builds a workspace package and what it uses, for the
# scripts a user runs (demo.sh, bench.sh). Usage: bash scripts/prepare.sh NAME FILTER
# (NAME names the logs in .ci-out/; FILTER is turbo's, such as @org/demo...).
set -euo pipefail
name="$1"
filter="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p .ci-out
if ! bash scripts/bootstrap.sh >".ci-out/$name-setup.log" 2>&1; then
  tail -n 30 ".ci-out/$name-setup.log" >&2
  exit 1
fi
# shellcheck source=scripts/pnpm-env.sh
source scripts/pnpm-env.sh
export TURBO_TELEMETRY_DISABLED=1
if ! pnpm exec turbo run build "--filter=$filter" --output-logs=errors-only >".ci-out/$name-build.log" 2>&1; then
  tail -n 30 ".ci-out/$name-build.log" >&2
  exit 1
fi
