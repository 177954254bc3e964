# Sourced by the scripts that run pnpm (bootstrap, .ci/run, with-pnpm.sh): when the pnpm on PATH is
# not the pinned version, the project's own copy in .tools (installed by bootstrap.sh) goes first on
# PATH. A pnpm the user installed globally is never replaced. The copy in .tools is recognised from
# its package.json, without starting pnpm (which takes most of a second).
PNPM_VERSION=10.34.9
root="${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
pnpm_in_tools() {
  grep -q "\"version\": \"$PNPM_VERSION\"" "$root/.tools/node_modules/pnpm/package.json" 2>/dev/null
}
if pnpm_in_tools || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  export PATH="$root/.tools/node_modules/.bin:$PATH"
fi
