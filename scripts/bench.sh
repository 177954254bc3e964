#!/usr/bin/env bash
# `npm run bench`: installs (quietly, unless it fails), builds the benchmarks and what they measure,
# runs them. Arguments go to the benchmarks: npm run bench -- --only e2e
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/prepare.sh bench @org/bench...
# shellcheck source=scripts/pnpm-env.sh
source scripts/pnpm-env.sh
exec pnpm --dir bench bench "$@"
