import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { runtimeBundlePath, runtimeCommand } from "@tf-lambda/client";
import type { Figure } from "./report.js";
import { pairwiseRatios, summarize } from "./statistics.js";

/** Starts `argv` and resolves with the ms from spawn to its first GET /invocation/next on a tiny fake Runtime API. */
async function timeToFirstNext(argv: readonly string[]): Promise<number> {
  let firstRequestAt: number | undefined;
  let onFirst: () => void = () => {};
  const server = createServer((request, response) => {
    if (request.method === "GET" && request.url?.endsWith("/invocation/next")) {
      firstRequestAt ??= performance.now();
      onFirst();
      return; // never answered: the runtime waits, as an idle function does
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const [executable, ...args] = argv;
  const started = performance.now();
  const child = spawn(executable as string, args, {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
      TF_LAMBDA_TERRAFORM_BIN: "/bin/true",
    },
    stdio: "ignore",
  });
  try {
    await new Promise<void>((resolve, reject) => {
      onFirst = resolve;
      child.once("exit", (code) =>
        reject(new Error(`${argv.join(" ")} exited ${code} before asking for work`)),
      );
      setTimeout(() => reject(new Error("no invocation/next within 10 s")), 10_000).unref();
    });
  } finally {
    child.kill("SIGKILL");
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return (firstRequestAt as number) - started;
}

/** The same measurement for node alone: a script that only makes the same first request. */
const BARE_NODE_SCRIPT = [
  'const url = "http://" + process.env.AWS_LAMBDA_RUNTIME_API + "/2018-06-01/runtime/invocation/next";',
  'require("node:http").get(url).on("error", () => {});',
].join("\n");

/**
 * Benchmark 2: process start to the first `GET /runtime/invocation/next`, spawning node on the bundle against
 * an in-process fake Runtime API; node's own start making the same request is the reference. Plus the bundle size.
 */
export async function coldStartBenchmark(options: { repetitions: number }): Promise<Figure[]> {
  const bundle = runtimeBundlePath();
  const runtimeMs: number[] = [];
  const nodeMs: number[] = [];
  for (let round = 0; round <= options.repetitions; round += 1) {
    const runtime = await timeToFirstNext(runtimeCommand());
    const bare = await timeToFirstNext([process.execPath, "-e", BARE_NODE_SCRIPT]);
    if (round === 0) continue;
    runtimeMs.push(runtime);
    nodeMs.push(bare);
  }
  const value = summarize(runtimeMs);
  const bytes = statSync(bundle).size;
  const gzipped = gzipSync(readFileSync(bundle)).length;
  const size = { median: bytes / 1024, min: bytes / 1024, max: bytes / 1024, runs: 1 };
  return [
    {
      benchmark: "2 cold start",
      name: "spawn to first invocation/next",
      unit: "ms",
      value,
      reference: { what: "node -e (same request)", ...summarize(nodeMs) },
      ratio: summarize(pairwiseRatios(runtimeMs, nodeMs)),
      target: "< 150 ms",
      meets: value.median < 150,
    },
    {
      benchmark: "2 cold start",
      name: "bundle size (dist/bootstrap.mjs)",
      unit: "KiB",
      value: size,
      target: "< 1 MB",
      meets: bytes < 1_000_000,
      note: `${bytes} bytes; ${gzipped} bytes gzipped`,
    },
  ];
}
