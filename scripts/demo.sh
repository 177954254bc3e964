#!/usr/bin/env bash
# `npm run demo`: installs (quietly, unless it fails), builds the demo and what it uses, runs it; a
# second run skips both when nothing changed. Arguments go to the demo: npm run demo -- --help
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/with-pnpm.sh" --build @org/demo... node apps/demo/dist/main.js "$@"
