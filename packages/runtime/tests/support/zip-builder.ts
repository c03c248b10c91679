import { deflateRawSync } from "node:zlib";

/** One entry of a hand-built archive; every field a hostile archive might lie about can be set. */
export interface ZipEntrySpec {
  name: string | Buffer;
  data?: Buffer | string;
  /** Unix mode including the file type bits (default a regular 0644 file, or a directory for a trailing '/'). */
  mode?: number;
  /** Store instead of deflate. */
  store?: boolean;
  /** Set the UTF-8 flag (default true for string names). */
  utf8?: boolean;
  /** Lie about the uncompressed size. */
  declaredSize?: number;
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Builds a zip archive byte by byte, so tests can make the hostile ones no zip tool would. */
export function buildZip(entries: readonly ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === "string" ? Buffer.from(entry.name, "utf8") : entry.name;
    const data = typeof entry.data === "string" ? Buffer.from(entry.data) : (entry.data ?? Buffer.alloc(0));
    const compressed = entry.store ? data : deflateRawSync(data);
    const method = entry.store ? 0 : 8;
    const isDirectory = name.at(-1) === 0x2f;
    const mode = entry.mode ?? (isDirectory ? 0o040755 : 0o100644);
    const flags = (entry.utf8 ?? typeof entry.name === "string") ? 0x800 : 0;
    const size = entry.declaredSize ?? data.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((mode & 0xffff) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}

/** A zip of a directory's worth of files given as name -> text. */
export function zipOf(files: Readonly<Record<string, string>>): Buffer {
  return buildZip(Object.entries(files).map(([name, data]) => ({ name, data })));
}
