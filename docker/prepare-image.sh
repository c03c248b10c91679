#!/bin/sh
# Run by the Dockerfile's `assemble` stage (and by packages/module/tests, which lay the image out in a temporary
# directory exactly as the Dockerfile does). It finishes /opt/tf-lambda:
#   1. bundled code: dropped when it holds no Terraform files, else cleaned of local state and caches;
#   2. providers (PREINSTALL_PROVIDERS=true): `terraform providers mirror` of the bundled code's providers into
#      PROVIDERS_DIR, plus a CLI configuration (CLI_CONFIG_FILE) that installs those providers from the mirror
#      only, so a function without internet access can still `init`, and every other provider directly. The CLI
#      configuration is always written (a comment alone when nothing was mirrored): the runtime reads it first;
#   3. permissions: everything read-only and world-readable (Lambda runs as a non-root user), executables 0555.
#
# Environment: TERRAFORM_BIN, TF_LAMBDA_HOME, CODE_DIR, PROVIDERS_DIR, CLI_CONFIG_FILE, PREINSTALL_PROVIDERS.
set -eu

: "${TERRAFORM_BIN:?}" "${TF_LAMBDA_HOME:?}" "${CODE_DIR:?}" "${PROVIDERS_DIR:?}" "${CLI_CONFIG_FILE:?}"
PREINSTALL_PROVIDERS="${PREINSTALL_PROVIDERS:-false}"

has_terraform_files() {
  [ -d "$1" ] && find "$1" -maxdepth 1 -type f \( -name '*.tf' -o -name '*.tf.json' \) | grep -q .
}

if has_terraform_files "$CODE_DIR"; then
  # What never belongs in an image: local state, provider caches, VCS metadata.
  find "$CODE_DIR" \( -name .terraform -o -name .git \) -prune -exec rm -rf {} +
  find "$CODE_DIR" -type f \( -name '*.tfstate' -o -name '*.tfstate.*' \) -exec rm -f {} +
else
  rm -rf "$CODE_DIR"
fi

echo "# No providers were pre-installed in this image (PREINSTALL_PROVIDERS=$PREINSTALL_PROVIDERS)." >"$CLI_CONFIG_FILE"

case "$PREINSTALL_PROVIDERS" in
  true)
    if has_terraform_files "$CODE_DIR"; then
      mkdir -p "$PROVIDERS_DIR"
      TF_CLI_CONFIG_FILE=/dev/null "$TERRAFORM_BIN" -chdir="$CODE_DIR" providers mirror "$PROVIDERS_DIR"
      # The mirror's layout is HOSTNAME/NAMESPACE/TYPE/...: one include pattern per provider.
      providers=$(cd "$PROVIDERS_DIR" && find . -mindepth 3 -maxdepth 3 -type d | sed 's|^\./||' | sort)
      if [ -n "$providers" ]; then
        list=$(printf '%s\n' "$providers" | sed 's/.*/"&"/' | paste -sd, - | sed 's/,/, /g')
        cat >"$CLI_CONFIG_FILE" <<CONFIG
# Written at image build time by prepare-image.sh: the bundled code's providers come from the image's mirror,
# so init needs no network for them; any other provider is installed from its registry.
provider_installation {
  filesystem_mirror {
    path    = "$PROVIDERS_DIR"
    include = [$list]
  }
  direct {
    exclude = [$list]
  }
}
CONFIG
      fi
    fi
    ;;
  false) ;;
  *)
    echo "prepare-image.sh: PREINSTALL_PROVIDERS must be true or false, not '$PREINSTALL_PROVIDERS'" >&2
    exit 2
    ;;
esac

chmod -R a=rX "$TF_LAMBDA_HOME"
chmod a=rx "$TF_LAMBDA_HOME/entrypoint.sh"
