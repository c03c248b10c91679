import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { deflateRawSync, crc32 as nativeCrc32 } from "node:zlib";

/** Where an entry's bytes come from: a file to read, or bytes already in memory. */
export type EntrySource = { file: string; size: number } | { data: Uint8Array };

/** An entry ready for the archive: its checksum, sizes and the body to store (deflated or as it is). */
export interface CompressedEntry {
  crc32: number;
  uncompressedSize: number;
  /** 8 (deflate) or 0 (stored, when deflating does not make it smaller). */
  method: 0 | 8;
  body: Uint8Array;
}

/** Below this many bytes in all, starting workers costs more than it saves. */
const PARALLEL_THRESHOLD_BYTES = 2 * 1024 * 1024;
/** Work is handed out in batches of about this many bytes (or this many files, for many small ones). */
const BATCH_BYTES = 256 * 1024;
const BATCH_FILES = 64;
const LEVEL = 6;

/**
 * The worker: reads, checksums and deflates each entry of a batch exactly as {@link compressData} does, and
 * sends the bodies back as exact-size buffers it transfers (no copy). Inline so the ESM and CJS builds need no
 * second file.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const { deflateRawSync, crc32 } = require("node:zlib");
parentPort.on("message", (items) => {
  try {
    const out = items.map((item) => {
      const data = item.file !== undefined ? readFileSync(item.file) : item.data;
      const deflated = deflateRawSync(data, { level: ${LEVEL} });
      const useDeflate = deflated.length < data.length;
      const kept = useDeflate ? deflated : data;
      const body = new Uint8Array(kept.length);
      body.set(kept);
      return { index: item.index, crc32: crc32(data), uncompressedSize: data.length, method: useDeflate ? 8 : 0, body };
    });
    parentPort.postMessage({ out }, out.map((entry) => entry.body.buffer));
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});
`;

let crcTable: Uint32Array | undefined;
/** CRC-32 for Node versions before 20.15, which lack `zlib.crc32` (they also compress on one thread). */
function tableCrc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let index = 0; index < 256; index += 1) {
      let value = index;
      for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
      crcTable[index] = value >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const crc32: (data: Uint8Array) => number = typeof nativeCrc32 === "function" ? nativeCrc32 : tableCrc32;

/** Checksums and deflates one entry (zlib level 6), keeping it stored when deflating does not make it smaller. */
export function compressData(data: Uint8Array): CompressedEntry {
  const deflated = deflateRawSync(data, { level: LEVEL });
  const useDeflate = deflated.length < data.length;
  const kept = useDeflate ? deflated : data;
  return {
    crc32: crc32(data),
    uncompressedSize: data.length,
    method: useDeflate ? 8 : 0,
    body: Uint8Array.prototype.slice.call(kept),
  };
}

/**
 * Reads and compresses every entry, spreading the work over the machine's cores: worker threads (one per spare
 * core) take batches from a shared queue - reading their own files, so the disk work is spread too - while this
 * thread takes batches as well. The result is the same as compressing each entry in turn; only the wall time
 * changes.
 */
export async function compressEntries(sources: readonly EntrySource[]): Promise<CompressedEntry[]> {
  const totalBytes = sources.reduce(
    (sum, source) => sum + ("file" in source ? source.size : source.data.length),
    0,
  );
  const workerCount = Math.min(availableParallelism() - 1, 3);
  if (workerCount < 1 || totalBytes < PARALLEL_THRESHOLD_BYTES || typeof nativeCrc32 !== "function") {
    return sources.map((source) => compressData(readSource(source)));
  }

  const batches = makeBatches(sources);
  const results: CompressedEntry[] = new Array(sources.length);
  let next = 0;
  const workers = Array.from({ length: workerCount }, () => new Worker(WORKER_SOURCE, { eval: true }));
  try {
    await new Promise<void>((resolve, reject) => {
      let busyWorkers = 0;
      let ownDone = false;
      const finishIfDone = () => {
        if (ownDone && busyWorkers === 0) resolve();
      };
      const dispatch = (worker: Worker) => {
        const batch = batches[next];
        if (batch === undefined) return;
        next += 1;
        busyWorkers += 1;
        worker.postMessage(
          batch.map((index) => {
            const source = sources[index] as EntrySource;
            return "file" in source ? { index, file: source.file } : { index, data: source.data };
          }),
        );
      };
      for (const worker of workers) {
        worker.on("message", (message: { out?: (CompressedEntry & { index: number })[]; error?: string }) => {
          busyWorkers -= 1;
          if (message.error !== undefined) return reject(new Error(message.error));
          for (const { index, ...entry } of message.out ?? []) results[index] = entry;
          dispatch(worker);
          finishIfDone();
        });
        worker.once("error", reject);
        dispatch(worker);
      }
      // This thread takes batches too, yielding between them so the workers' answers are handled promptly.
      const takeOwnShare = async () => {
        for (let batch = batches[next]; batch !== undefined; batch = batches[next]) {
          next += 1;
          for (const index of batch) results[index] = compressData(readSource(sources[index] as EntrySource));
          await new Promise((resume) => setImmediate(resume));
        }
        ownDone = true;
        finishIfDone();
      };
      takeOwnShare().catch(reject);
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}

function readSource(source: EntrySource): Uint8Array {
  return "file" in source ? readFileSync(source.file) : source.data;
}

function makeBatches(sources: readonly EntrySource[]): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  sources.forEach((source, index) => {
    current.push(index);
    bytes += "file" in source ? source.size : source.data.length;
    if (bytes >= BATCH_BYTES || current.length >= BATCH_FILES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
