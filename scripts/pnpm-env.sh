# Sourced by the scripts that run pnpm (bootstrap, .ci/run, demo): when the pnpm on PATH is not the
# pinned version, the project's own copy in .tools (installed by bootstrap.sh) goes first on PATH.
# A pnpm the user installed globally is never replaced.
PNPM_VERSION=10.34.9
root="${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  export PATH="$root/.tools/node_modules/.bin:$PATH"
fi
