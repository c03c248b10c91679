# Shared by the scripts in this folder. Source it; it defines paths and small helpers, runs nothing.
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_ROOT

# Where built tools are cached: outside the repository, so only the first build is slow.
TF_LAMBDA_CACHE_DIR=${TF_LAMBDA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tf-lambda}
export TF_LAMBDA_CACHE_DIR

# Pinned versions of the real components the tests run against.
PNPM_VERSION=10.34.8
OPENTOFU_VERSION=v1.6.2
RIE_VERSION=v0.0.0-20261030222936-bef5c4ba774d
MOTO_REQUIREMENT='moto[server]>=5.1,<6'

log() { printf '\033[1m[tf-lambda]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[tf-lambda] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Installs pnpm with npm when it is missing (corepack's signature check fails on these machines).
ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1; then return 0; fi
  log "installing pnpm@${PNPM_VERSION} with npm"
  npm install --global --silent "pnpm@${PNPM_VERSION}" >&2 || die "could not install pnpm with npm"
  command -v pnpm >/dev/null 2>&1 || die "pnpm was installed but is not on PATH (npm prefix: $(npm prefix -g))"
}

# Installs the workspace's packages from the lock file.
ensure_packages() {
  ensure_pnpm
  (cd "$REPO_ROOT" && pnpm install --frozen-lockfile --reporter=silent) || die "pnpm install failed"
}
