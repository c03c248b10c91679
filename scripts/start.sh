#!/usr/bin/env bash
# The main job on the embedded default. Until the local runner lands, it runs every payload of the article
# through the protocol's normalizeRequest() and prints what each becomes.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
ensure_packages
pnpm --filter @tf-lambda/protocol run build >/dev/null
node --input-type=module -e '
import { readdirSync, readFileSync } from "node:fs";
import { normalizeRequest } from "./packages/protocol/dist/index.js";
const directory = "packages/protocol/tests/fixtures/article";
for (const name of readdirSync(directory).filter((file) => file.endsWith(".json")).sort()) {
  const request = normalizeRequest(JSON.parse(readFileSync(`${directory}/${name}`, "utf8")));
  const shown = { ...request, code: request.code.type === "zip" ? { type: "zip", bytes: request.code.zip.length } : request.code };
  if (shown.credentials) shown.credentials = { accessKeyId: shown.credentials.accessKeyId, secretAccessKey: "<redacted>" };
  console.log(name, JSON.stringify(shown));
}
' 
