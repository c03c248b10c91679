#!/usr/bin/env bash
# Installs the real components the tests and the local runner use, and prints where they are:
#   - a Terraform-compatible CLI: `tofu` or `terraform` on PATH first, else OpenTofu built from the Go module proxy;
#   - the AWS Lambda Runtime Interface Emulator (go install);
#   - moto's server (pip, in a virtual environment) for S3, DynamoDB and STS.
# Everything is cached under $TF_LAMBDA_CACHE_DIR (default ~/.cache/tf-lambda), never inside the repository.
# Usage: scripts/install-tools.sh [terraform] [opentofu] [emulator] [moto]   (no argument: terraform, emulator, moto)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(terraform emulator moto)
mkdir -p "$TF_LAMBDA_CACHE_DIR"
failed=()

install_terraform() {
  if [ -n "${TF_LAMBDA_TERRAFORM_BIN:-}" ] && [ -x "${TF_LAMBDA_TERRAFORM_BIN}" ]; then
    log "terraform: ${TF_LAMBDA_TERRAFORM_BIN} (TF_LAMBDA_TERRAFORM_BIN)"; return 0
  fi
  for name in tofu terraform; do
    if command -v "$name" >/dev/null 2>&1; then log "terraform: $(command -v "$name") (on PATH)"; return 0; fi
  done
  install_opentofu
}

# The pinned OpenTofu itself, whatever is on PATH: the tests run the runtime against both distributions.
install_opentofu() {
  local target="$TF_LAMBDA_CACHE_DIR/opentofu-$OPENTOFU_VERSION/tofu"
  if [ -x "$target" ]; then log "opentofu: $target (cached)"; return 0; fi
  command -v go >/dev/null 2>&1 || { log "no Go to build OpenTofu"; return 1; }
  log "building OpenTofu $OPENTOFU_VERSION from the Go module proxy (first time only, a few minutes)"
  local started=$SECONDS
  GOBIN="$(dirname "$target")" GOFLAGS=-buildvcs=false go install \
    -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
    "github.com/opentofu/opentofu/cmd/tofu@$OPENTOFU_VERSION" >&2 || return 1
  log "opentofu: $target (built in $((SECONDS - started)) s)"
}

install_emulator() {
  if [ -n "${TF_LAMBDA_RIE_BIN:-}" ] && [ -x "${TF_LAMBDA_RIE_BIN}" ]; then log "emulator: ${TF_LAMBDA_RIE_BIN}"; return 0; fi
  if command -v aws-lambda-rie >/dev/null 2>&1; then log "emulator: $(command -v aws-lambda-rie) (on PATH)"; return 0; fi
  local target="$TF_LAMBDA_CACHE_DIR/rie-$RIE_VERSION/aws-lambda-rie"
  if [ -x "$target" ]; then log "emulator: $target (cached)"; return 0; fi
  command -v go >/dev/null 2>&1 || { log "no Go to install the Lambda Runtime Interface Emulator"; return 1; }
  log "installing the Lambda Runtime Interface Emulator $RIE_VERSION with go install"
  GOBIN="$(dirname "$target")" GOFLAGS=-buildvcs=false go install \
    "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$RIE_VERSION" >&2 || return 1
  log "emulator: $target"
}

install_moto() {
  if [ -n "${TF_LAMBDA_MOTO_SERVER_BIN:-}" ] && [ -x "${TF_LAMBDA_MOTO_SERVER_BIN}" ]; then log "moto: ${TF_LAMBDA_MOTO_SERVER_BIN}"; return 0; fi
  if command -v moto_server >/dev/null 2>&1; then log "moto: $(command -v moto_server) (on PATH)"; return 0; fi
  local venv="$TF_LAMBDA_CACHE_DIR/moto-venv"
  if [ -x "$venv/bin/moto_server" ]; then log "moto: $venv/bin/moto_server (cached)"; return 0; fi
  command -v python3 >/dev/null 2>&1 || { log "no python3 to install moto"; return 1; }
  log "installing $MOTO_REQUIREMENT into $venv"
  python3 -m venv "$venv" >&2 || return 1
  "$venv/bin/pip" install --quiet "$MOTO_REQUIREMENT" >&2 || return 1
  log "moto: $venv/bin/moto_server"
}

for tool in "${want[@]}"; do
  case "$tool" in
    terraform) install_terraform || failed+=("terraform (OpenTofu $OPENTOFU_VERSION via go install)") ;;
    opentofu) install_opentofu || failed+=("opentofu (OpenTofu $OPENTOFU_VERSION via go install)") ;;
    emulator) install_emulator || failed+=("emulator (go install ...aws-lambda-rie@$RIE_VERSION)") ;;
    moto) install_moto || failed+=("moto (pip install '$MOTO_REQUIREMENT')") ;;
    *) die "unknown tool '$tool' (expected terraform, opentofu, emulator or moto)" ;;
  esac
done

if [ ${#failed[@]} -gt 0 ]; then
  log "could not obtain: ${failed[*]}"
  exit 1
fi
