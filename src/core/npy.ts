/**
 * NumPy's .npy format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html), read and
 * written by hand: a magic string, a version, a Python-dict header, then the raw array. Only what the study's
 * files need is accepted: little-endian uint8, int32, int64 and float32 in C order. Nothing is allocated from
 * what a header claims: the data must already be there, byte for byte.
 */
import { strFromU8 } from 'fflate';

export type NpyDtype = 'uint8' | 'int32' | 'int64' | 'float32';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** int64 values are read into a Float64Array (exact below 2^53; the study's labels are small). */
  data: Uint8Array | Int32Array | Float64Array | Float32Array;
}

const DESCR: Record<string, NpyDtype> = {
  '|u1': 'uint8',
  '<u1': 'uint8',
  '<i4': 'int32',
  '<i8': 'int64',
  '<f4': 'float32',
};
const SIZE: Record<NpyDtype, number> = { uint8: 1, int32: 4, int64: 8, float32: 4 };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export class NpyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NpyError';
  }
}

export function parseNpy(bytes: Uint8Array, name = 'array'): NpyArray {
  const bad = (why: string) => new NpyError(`${name}: ${why}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('not a NumPy .npy array.');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw bad(`.npy version ${major} is not supported.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (headerLen > 65_536 || start + headerLen > bytes.length)
    throw bad('the header is truncated or absurdly long.');
  const header = strFromU8(bytes.subarray(start, start + headerLen), major !== 3);
  const m =
    /^\{\s*'descr':\s*'([^']+)',\s*'fortran_order':\s*(True|False),\s*'shape':\s*\(([\d,\s]*)\),?\s*\}\s*$/.exec(
      header,
    );
  if (!m) throw bad(`cannot read its header (${header.trim().slice(0, 80)}).`);
  const dtype = DESCR[m[1]!];
  if (!dtype) throw bad(`dtype ${m[1]} is not supported (uint8, int32, int64 or float32, little-endian).`);
  if (m[2] === 'True') throw bad('Fortran-order arrays are not supported; save it in C order.');
  const shape = m[3]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw bad('the shape is malformed.');
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  const need = count * SIZE[dtype];
  if (bytes.length - offset !== need)
    throw bad(`the header promises ${need} bytes of data but the file has ${bytes.length - offset}.`);
  const raw = bytes.subarray(offset);
  let data: NpyArray['data'];
  if (dtype === 'uint8') data = raw;
  else {
    // Copied to an aligned buffer: the data may start at any byte.
    const copy = raw.slice().buffer;
    if (dtype === 'int32') data = new Int32Array(copy);
    else if (dtype === 'float32') data = new Float32Array(copy);
    else {
      const big = new BigInt64Array(copy);
      data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = Number(big[i]!);
    }
  }
  return { dtype, shape, data };
}

const CODE: Record<NpyDtype, string> = { uint8: '|u1', int32: '<i4', int64: '<i8', float32: '<f4' };

/** A version-1 .npy file, header padded so that the data starts at a multiple of 64 bytes, as NumPy writes it. */
export function writeNpy(a: NpyArray): Uint8Array {
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '${CODE[a.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const count = a.shape.reduce((x, y) => x * y, 1);
  if (a.data.length !== count) throw new RangeError(`${a.data.length} values for shape ${shape}`);
  const out = new Uint8Array(10 + header.length + count * SIZE[a.dtype]);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = out.subarray(10 + header.length);
  if (a.dtype === 'uint8') body.set(a.data as Uint8Array);
  else if (a.dtype === 'int32') body.set(new Uint8Array(Int32Array.from(a.data).buffer));
  else if (a.dtype === 'float32') body.set(new Uint8Array(Float32Array.from(a.data).buffer));
  else body.set(new Uint8Array(BigInt64Array.from(Array.from(a.data, (v) => BigInt(Math.trunc(v)))).buffer));
  return out;
}
