#!/bin/sh
# The image's ENTRYPOINT: starts the tf-lambda runtime (bootstrap.mjs, beside this script) with Node.
#
# In Lambda, AWS_LAMBDA_RUNTIME_API is set and the runtime talks to it directly. Run locally without it, the
# script wraps the runtime in the AWS Lambda Runtime Interface Emulator when one is present (the standard
# local-testing pattern: mount it at /usr/local/bin/aws-lambda-rie or point TF_LAMBDA_RIE_BIN at it), so that
# `docker run -p 9000:8080 IMAGE` serves POST /2015-03-31/functions/function/invocations on port 9000.
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
bootstrap="$here/bootstrap.mjs"
# A 1 MiB young generation keeps the mostly idle runtime's memory small; the same options as the local runner
# (RUNTIME_NODE_OPTIONS in packages/client/src/local-runner/runtime-bundle.ts).
node_options="--max-semi-space-size=1"

if [ -z "${AWS_LAMBDA_RUNTIME_API:-}" ]; then
  emulator="${TF_LAMBDA_RIE_BIN:-/usr/local/bin/aws-lambda-rie}"
  if [ -x "$emulator" ]; then
    exec "$emulator" node $node_options "$bootstrap"
  fi
  echo "tf-lambda: AWS_LAMBDA_RUNTIME_API is not set and no Runtime Interface Emulator was found at $emulator;" \
    "mount one there to run the image locally (see docker/README.md)" >&2
fi

exec node $node_options "$bootstrap"
