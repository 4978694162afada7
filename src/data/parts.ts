/**
 * Records of any size. Chromium's IndexedDB refuses one value over ~133 MB (the study's Model 3 with Adam's two
 * moments makes a 231 MB checkpoint), so a record that can grow with the model or the data is stored as its
 * envelope, the record with each large binary replaced by a reference, and those binaries in parts of at most
 * PART_BYTES in the `parts` store, all in the caller's transaction. Reading puts the record together again; a
 * part missing or of the wrong size is a PartsMissingError, never half a record.
 *
 * Every store whose records can grow (models, checkpoints) goes through putWhole / getWhole / deleteWhole.
 */
import type { IDBPTransaction } from 'idb';
import { STORES, type LabDB, type PartOwner, type PartRecord, type StoreName } from './schema';

/** Well under the browser's limit per value, and small enough that reading one adds little to the peak. */
export const PART_BYTES = 32 * 2 ** 20;
/** Binaries up to this size stay inside the envelope: a small model is still one record. */
export const INLINE_BYTES = 64 * 2 ** 10;

type WriteTx = IDBPTransaction<LabDB, StoreName[], 'readwrite'>;
type ReadTx = IDBPTransaction<LabDB, StoreName[], IDBTransactionMode>;
type Binary = ArrayBuffer | Uint8Array | Float32Array | Int32Array;
const KINDS = ['ArrayBuffer', 'Uint8Array', 'Float32Array', 'Int32Array'] as const;
type BinaryKind = (typeof KINDS)[number];

/** What stands in the envelope for a binary kept in parts `first` to `first + count - 1`. */
interface PartRef {
  $parts: { first: number; count: number; bytes: number; kind: BinaryKind };
}

/** A stored record whose parts are missing or damaged: it cannot be used, and is not half-read. */
export class PartsMissingError extends Error {
  constructor(what: string) {
    super(`${what} is stored incompletely (a part of it is missing or damaged).`);
    this.name = 'PartsMissingError';
  }
}

const ownerRange = (owner: PartOwner) => IDBKeyRange.bound([owner, 0], [owner, Infinity]);

const kindOf = (v: unknown): BinaryKind | null =>
  v instanceof ArrayBuffer
    ? 'ArrayBuffer'
    : v instanceof Uint8Array
      ? 'Uint8Array'
      : v instanceof Float32Array
        ? 'Float32Array'
        : v instanceof Int32Array
          ? 'Int32Array'
          : null;

const isRef = (v: unknown): v is PartRef =>
  typeof v === 'object' && v !== null && Object.keys(v).length === 1 && '$parts' in v;

/**
 * Writes `record` under `key` in `store`, its large binaries as parts, replacing whatever was stored there (parts
 * included). Requests are started without awaiting each, so no part's copy outlives its own put.
 */
export async function putWhole<T>(tx: WriteTx, store: StoreName, key: string[], record: T): Promise<void> {
  const owner: PartOwner = [store, ...key];
  const parts = tx.objectStore(STORES.parts);
  const started: Promise<unknown>[] = [];
  // Each has a handler at once: an abort (a full disk) cuts the rest short without an unhandled rejection.
  const start = (p: Promise<unknown>) => {
    p.catch(() => undefined);
    started.push(p);
  };
  start(parts.delete(ownerRange(owner)));
  let n = 0;
  const encode = (v: unknown): unknown => {
    const kind = kindOf(v);
    if (kind) {
      const b = v as Binary;
      if (b.byteLength <= INLINE_BYTES) return v;
      const bytes =
        b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      const first = n;
      for (let at = 0; at < bytes.byteLength; at += PART_BYTES) {
        const end = Math.min(bytes.byteLength, at + PART_BYTES);
        // A view is cloned with its whole buffer: a part is a copy of its own bytes unless it is the whole buffer.
        const whole = at === 0 && end === bytes.buffer.byteLength && bytes.byteOffset === 0;
        start(parts.put({ owner, n: n++, bytes: whole ? bytes : bytes.slice(at, end) }));
      }
      return { $parts: { first, count: n - first, bytes: b.byteLength, kind } } satisfies PartRef;
    }
    if (Array.isArray(v)) return v.map(encode);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = encode(x);
      return out;
    }
    return v;
  };
  const envelope = encode(record);
  start(tx.objectStore(store).put(envelope as never));
  await Promise.all(started);
}

/** The record under `key` put together from its parts, or undefined when there is none. */
export async function getWhole<T>(
  tx: ReadTx,
  store: StoreName,
  key: string[],
  what: string,
): Promise<T | undefined> {
  const envelope: unknown = await tx.objectStore(store).get(key as never);
  if (envelope === undefined) return undefined;
  const owner: PartOwner = [store, ...key];
  const parts = tx.objectStore(STORES.parts);
  const decode = async (v: unknown): Promise<unknown> => {
    if (isRef(v)) return readBinary(parts, owner, v.$parts, what);
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const x of v) out.push(await decode(x)); // one binary at a time: the peak is the record and a part
      return out;
    }
    if (typeof v === 'object' && v !== null && !kindOf(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = await decode(x);
      return out;
    }
    return v;
  };
  return (await decode(envelope)) as T;
}

async function readBinary(
  parts: { get(key: [PartOwner, number]): Promise<PartRecord | undefined> },
  owner: PartOwner,
  ref: PartRef['$parts'],
  what: string,
): Promise<Binary> {
  if (!KINDS.includes(ref.kind) || !Number.isSafeInteger(ref.bytes) || ref.bytes < 0)
    throw new PartsMissingError(what);
  const out = new Uint8Array(ref.bytes);
  let at = 0;
  for (let n = ref.first; n < ref.first + ref.count; n++) {
    const part: unknown = (await parts.get([owner, n]))?.bytes;
    if (!(part instanceof Uint8Array) || at + part.byteLength > ref.bytes) throw new PartsMissingError(what);
    out.set(part, at);
    at += part.byteLength;
  }
  if (at !== ref.bytes) throw new PartsMissingError(what);
  if (ref.kind === 'ArrayBuffer') return out.buffer;
  if (ref.kind === 'Uint8Array') return out;
  if (ref.bytes % 4) throw new PartsMissingError(what);
  return ref.kind === 'Float32Array' ? new Float32Array(out.buffer) : new Int32Array(out.buffer);
}

/** Deletes the record under `key` and its parts. */
export async function deleteWhole(tx: WriteTx, store: StoreName, key: string[]): Promise<void> {
  const owner: PartOwner = [store, ...key];
  const a = tx.objectStore(store).delete(key as never);
  const b = tx.objectStore(STORES.parts).delete(ownerRange(owner));
  a.catch(() => undefined);
  b.catch(() => undefined);
  await Promise.all([a, b]);
}
