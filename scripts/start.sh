#!/usr/bin/env bash
# The main job on the embedded default: runs examples/local-quickstart through the local runner (the real
# runtime bundle behind a local Lambda-compatible endpoint, no AWS account): plan, apply, then a second plan
# that must show no changes. Installs what it needs on a fresh machine; safe to run again.
# State lives in $TF_LAMBDA_START_STATE_DIR (default: .tf-lambda/start-state, ignored by git).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

ensure_packages
bash scripts/install-tools.sh terraform || die "no terraform binary: see the messages above"
log "building the packages"
pnpm -r --filter "./packages/**" run build >/dev/null

example="examples/local-quickstart"
state_dir="${TF_LAMBDA_START_STATE_DIR:-$REPO_ROOT/.tf-lambda/start-state}"
cli=(node packages/client/dist/cli.js local)

# A second `npm start` starts from scratch too: destroy what the last one applied, quietly.
if [ -f "$state_dir/terraform.tfstate" ]; then
  "${cli[@]}" destroy --dir "$example" --state-dir "$state_dir" >/dev/null || die "could not destroy the previous run"
fi

log "tf-lambda local plan"
"${cli[@]}" plan --dir "$example" --state-dir "$state_dir"
log "tf-lambda local apply"
"${cli[@]}" apply --dir "$example" --state-dir "$state_dir"
log "tf-lambda local plan (again: expect no changes)"
set +e
"${cli[@]}" plan --dir "$example" --state-dir "$state_dir" --detailed-exitcode
status=$?
set -e
case "$status" in
  0) log "done: the second plan shows no changes (state in $state_dir)" ;;
  2) die "the second plan still shows changes" ;;
  *) die "the second plan failed (exit $status)" ;;
esac
