/**
 * A zip read entry by entry as its bytes arrive (fflate's streaming Unzip), for files too large to hold whole: the
 * results.zip of a real grid is tens of GB. Only one entry is held at a time. An entry's declared size is never
 * trusted: its bytes are counted as they inflate, and one past its cap stops the read at once, so a hostile
 * header costs nothing until its bytes arrive.
 */
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';

export interface ZipEntry {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export class ZipStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipStreamError';
  }
}

const concat = (parts: Uint8Array[], size: number): Uint8Array<ArrayBuffer> => {
  const only = parts[0];
  if (parts.length === 1 && only!.byteOffset === 0 && only!.byteLength === only!.buffer.byteLength)
    return only as Uint8Array<ArrayBuffer>;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
};

/**
 * The entries of the zip in `chunks`, in the order they are stored, each whole. `capOf` gives the most bytes an
 * entry may inflate to (0: the entry is refused by name). An entry named twice, one past its cap, a damaged or
 * truncated zip: a ZipStreamError in words.
 */
export async function* zipEntries(
  chunks: AsyncIterable<Uint8Array>,
  capOf: (name: string) => number,
): AsyncGenerator<ZipEntry> {
  const ready: ZipEntry[] = [];
  const seen = new Set<string>();
  /** The entry whose bytes are arriving, if any. */
  const reading = { name: null as string | null };
  let failure: ZipStreamError | null = null;
  const fail = (message: string) => (failure ??= new ZipStreamError(message));
  const unzip = new Unzip((file: UnzipFile) => {
    if (failure) return;
    const name = file.name;
    if (seen.has(name)) return void fail(`${name} is in the zip twice.`);
    seen.add(name);
    const cap = capOf(name);
    if (cap <= 0) return void fail(`the zip holds ${name}, which does not belong in it.`);
    const parts: Uint8Array[] = [];
    let size = 0;
    reading.name = name;
    // Every entry is started: fflate keeps the bytes of one that is not, whatever its size.
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) return void fail(`${name} cannot be read (${err.message}).`);
      size += data.byteLength;
      if (size > cap) {
        fail(`${name} is larger than the ${Math.round(cap / 2 ** 20)} MB it may be.`);
        file.terminate();
        return;
      }
      if (data.byteLength) parts.push(data);
      if (final) {
        ready.push({ name, bytes: concat(parts, size) });
        parts.length = 0;
        reading.name = null;
      }
    };
    try {
      file.start();
    } catch (e) {
      fail(`${name} cannot be read (${(e as Error).message}).`);
    }
  });
  unzip.register(UnzipInflate);
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      unzip.push(chunk, final);
    } catch (e) {
      if (final && reading.name !== null)
        fail(`the zip ends in the middle of ${reading.name} (is it cut short?).`);
      else fail(`this is not a readable zip file (${(e as Error).message}).`);
    }
  };
  for await (const chunk of chunks) {
    push(chunk, false);
    if (failure) throw failure;
    while (ready.length) yield ready.shift()!;
  }
  push(new Uint8Array(0), true);
  if (failure) throw failure;
  while (ready.length) yield ready.shift()!;
  if (reading.name !== null)
    throw new ZipStreamError(`the zip ends in the middle of ${reading.name} (is it cut short?).`);
  if (!seen.size) throw new ZipStreamError('this is not a readable zip file (no entry in it).');
}

/** One Uint8Array as a stream of chunks (tests, and files already in memory). */
export async function* chunksOf(bytes: Uint8Array, size = 1 << 20): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size);
}
