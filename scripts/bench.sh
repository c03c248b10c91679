#!/usr/bin/env bash
# The benchmarks (bench/README.md), on a fresh machine with only Node and npm: installs pnpm, the packages and the
# real components (terraform or OpenTofu, the Lambda Runtime Interface Emulator, moto, zip), builds the packages,
# then runs every benchmark and writes bench/results/latest.json.
# Arguments select benchmarks: overhead, cold-start, packing, soak, fan-out (e.g. `pnpm bench packing`).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

ensure_packages
bash scripts/install-tools.sh terraform emulator moto || die "the benchmarks need terraform, the emulator and moto (see above)"
if ! command -v zip >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "installing zip (the packing benchmark's reference) with apt-get"
    apt-get install -y -qq zip >&2 || { apt-get update -qq >&2 && apt-get install -y -qq zip >&2; } || die "could not install zip"
  else
    die "the packing benchmark compares with zip -qr: install zip"
  fi
fi

log "building"
build_log=$(mktemp)
pnpm -r --filter "./packages/**" run build >"$build_log" 2>&1 || { cat "$build_log"; die "the build failed"; }
rm -f "$build_log"

log "benchmarks (about 5 minutes on 2 cores)"
pnpm --filter @tf-lambda/bench run bench "$@"
