#!/usr/bin/env bash
# `npm run demo`: installs (quietly, unless it fails), builds the demo and what it uses, runs it.
# Arguments go to the demo: npm run demo -- --help
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ -d node_modules ] || echo "Setting up: the first run installs and builds (about a minute)..." >&2
bash scripts/prepare.sh demo @org/demo...
exec node apps/demo/dist/main.js "$@"
