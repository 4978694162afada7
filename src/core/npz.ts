/** NumPy .npz files: a zip (stored or deflated) of .npy arrays, read with declared sizes checked first. */
import { zipSync } from 'fflate';
import { NpyError, parseNpy, writeNpy, type NpyArray } from './npy';
import { unzipChecked } from './zip';

export function readNpz(bytes: Uint8Array, name = 'file'): Record<string, NpyArray> {
  const files = unzipChecked(bytes, (m) => new NpyError(`${name}: ${m}`));
  const out: Record<string, NpyArray> = {};
  for (const [entry, data] of Object.entries(files)) {
    if (!entry.endsWith('.npy')) continue;
    out[entry.slice(0, -4)] = parseNpy(data, `${name}, array ${entry.slice(0, -4)}`);
  }
  if (!Object.keys(out).length) throw new NpyError(`${name}: no .npy arrays inside; is it an .npz file?`);
  return out;
}

/** An .npz as numpy.savez (stored) or numpy.savez_compressed (deflated) writes it. */
export function writeNpz(arrays: Record<string, NpyArray>, compressed = false): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [k, a] of Object.entries(arrays)) files[`${k}.npy`] = writeNpy(a);
  return zipSync(files, { level: compressed ? 6 : 0 });
}
