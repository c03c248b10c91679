// Runs packDirectory once in a fresh process and prints what it measured, with the process's peak RSS.
// Usage: node pack-child.mjs <directory> | node pack-child.mjs --baseline (imports the client, packs nothing).
import { packDirectory } from "@tf-lambda/client";

const target = process.argv[2];
if (target === "--baseline") {
  process.stdout.write(JSON.stringify({ maxRssKib: process.resourceUsage().maxRSS }));
} else {
  const started = performance.now();
  const packed = await packDirectory(target);
  const ms = performance.now() - started;
  process.stdout.write(
    JSON.stringify({
      ms,
      size: packed.size,
      sha256: packed.sha256,
      files: packed.fileCount,
      maxRssKib: process.resourceUsage().maxRSS,
    }),
  );
}
