import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { deflateRawSync } from "node:zlib";

/** Below this many bytes in all, starting a worker costs more than it saves. */
const PARALLEL_THRESHOLD_BYTES = 4 * 1024 * 1024;
/** Entries are handed out in batches of about this many bytes. */
const BATCH_BYTES = 512 * 1024;
const LEVEL = 6;

/** Inline so that the ESM and CJS builds need no second file: deflate every buffer of a batch. */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { deflateRawSync } = require("node:zlib");
parentPort.on("message", (batches) => {
  parentPort.postMessage(batches.map((batch) => batch.map((data) => deflateRawSync(data, { level: ${LEVEL} }))));
});
`;

/**
 * Raw-deflates every buffer (zlib level 6), spreading the work over the machine's cores: worker threads take
 * batches while this thread deflates its own share. The output is identical to deflating each buffer in turn;
 * only the wall time changes.
 */
export async function deflateAll(datas: readonly Uint8Array[]): Promise<Uint8Array[]> {
  const totalBytes = datas.reduce((sum, data) => sum + data.length, 0);
  const workerCount = Math.min(availableParallelism() - 1, 3);
  if (workerCount < 1 || totalBytes < PARALLEL_THRESHOLD_BYTES) {
    return datas.map((data) => deflateRawSync(data, { level: LEVEL }));
  }

  const batches = makeBatches(datas);
  // Deal the batches round-robin over this thread (share 0) and the workers, so each gets a mix of sizes.
  const shares: number[][] = Array.from({ length: workerCount + 1 }, () => []);
  for (const index of batches.keys()) shares[index % shares.length]?.push(index);

  const results: Uint8Array[] = new Array(datas.length);
  const workers = shares.slice(1).map((share) =>
    runWorker(
      share.map((index) => batches[index]?.indices ?? []),
      datas,
    ),
  );
  for (const index of shares[0] ?? []) {
    for (const entry of batches[index]?.indices ?? []) {
      results[entry] = deflateRawSync(datas[entry] as Uint8Array, { level: LEVEL });
    }
  }
  for (const { indices, outputs } of await Promise.all(workers)) {
    indices.forEach((entry, position) => {
      results[entry] = outputs[position] as Uint8Array;
    });
  }
  return results;
}

interface Batch {
  indices: number[];
}

function makeBatches(datas: readonly Uint8Array[]): Batch[] {
  const batches: Batch[] = [];
  let current: Batch = { indices: [] };
  let bytes = 0;
  datas.forEach((data, index) => {
    current.indices.push(index);
    bytes += data.length;
    if (bytes >= BATCH_BYTES) {
      batches.push(current);
      current = { indices: [] };
      bytes = 0;
    }
  });
  if (current.indices.length > 0) batches.push(current);
  return batches;
}

async function runWorker(
  batches: number[][],
  datas: readonly Uint8Array[],
): Promise<{ indices: number[]; outputs: Uint8Array[] }> {
  const indices = batches.flat();
  if (indices.length === 0) return { indices, outputs: [] };
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  try {
    const outputs = await new Promise<Uint8Array[]>((resolve, reject) => {
      worker.once("message", (result: Uint8Array[][]) => resolve(result.flat()));
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the deflate worker exited with code ${code}`)));
      worker.postMessage(batches.map((batch) => batch.map((index) => datas[index])));
    });
    return { indices, outputs };
  } finally {
    await worker.terminate();
  }
}
