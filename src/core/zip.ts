/** Unzipping that refuses absurd declared sizes before inflating anything (zip bombs, lying headers). */
import { unzipSync, type Unzipped } from 'fflate';

const MAX_FILE = 1024 * 1024 * 1024;
const MAX_TOTAL = 4 * 1024 * 1024 * 1024;

export function unzipChecked(bytes: Uint8Array, error: (message: string) => Error): Unzipped {
  let total = 0;
  let tooBig: string | null = null;
  let files: Unzipped;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        total += f.originalSize;
        if (f.originalSize > MAX_FILE || total > MAX_TOTAL) tooBig ??= f.name;
        return !tooBig;
      },
    });
  } catch (e) {
    throw error(`This is not a readable zip file (${(e as Error).message}).`);
  }
  if (tooBig) throw error(`The zip declares an absurd size for ${tooBig}; nothing was imported.`);
  return files;
}
