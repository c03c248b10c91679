#!/usr/bin/env bash
# The whole test suite, on a fresh machine with only Node and npm: installs pnpm, the packages and the real
# test tools (OpenTofu or terraform, the Lambda Runtime Interface Emulator, moto), builds, lints, type-checks and
# runs every vitest project (then the runtime's integration tests again against OpenTofu when the default
# binary is terraform). Extra arguments go to vitest (e.g. `npm test -- packages/runtime`).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

ensure_packages
if ! bash scripts/install-tools.sh terraform opentofu emulator moto; then
  [ "${CI:-}" = "true" ] && die "CI=true and a test tool could not be installed (see above)"
  log "some test tools are missing: the tests that need them will be skipped"
fi

log "building"
build_log=$(mktemp)
pnpm -r --filter "./packages/**" run build >"$build_log" 2>&1 || { cat "$build_log"; die "the build failed"; }
rm -f "$build_log"
log "lint and format (biome)"
pnpm exec biome check .
log "type-check"
pnpm -r --filter "./packages/**" --filter "./testing" --filter "./bench" run typecheck
log "tests"
reports=$(mktemp -d)
summary() {
  # One plain closing line over every vitest run of this command: "tests: N passed, N failed".
  node -e '
    const { readdirSync, readFileSync } = require("node:fs");
    let passed = 0, failed = 0, skipped = 0;
    for (const name of readdirSync(process.argv[1])) {
      const report = JSON.parse(readFileSync(`${process.argv[1]}/${name}`, "utf8"));
      passed += report.numPassedTests; failed += report.numFailedTests;
      skipped += report.numPendingTests + report.numTodoTests;
    }
    console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  ' "$reports"
}
trap 'summary; rm -rf "$reports"' EXIT
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$reports/main.json" "$@"

# The runtime runs terraform or OpenTofu: when the default binary is terraform, run the runtime's integration
# tests once more against the pinned OpenTofu, so both distributions are proven on every run.
opentofu="$TF_LAMBDA_CACHE_DIR/opentofu-$OPENTOFU_VERSION/tofu"
if [ $# -eq 0 ] && [ -x "$opentofu" ] && [ -z "${TF_LAMBDA_TERRAFORM_BIN:-}" ] && ! command -v tofu >/dev/null 2>&1 &&
  command -v terraform >/dev/null 2>&1; then
  log "runtime integration tests against OpenTofu $OPENTOFU_VERSION"
  TF_LAMBDA_TERRAFORM_BIN="$opentofu" pnpm exec vitest run --reporter=default --reporter=json \
    --outputFile.json="$reports/opentofu.json" --project runtime packages/runtime/tests/integration
fi
