/**
 * A zip of stored (uncompressed) entries as a Blob, written as it is filled: NPZ pixels barely deflate, and the
 * study's tools and the cluster runner read stored entries as they are.
 */
import { Zip, ZipPassThrough } from 'fflate';

export function storedZip(fill: (add: (name: string, data: Uint8Array) => void) => void): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const parts: BlobPart[] = [];
    const zip = new Zip((err, chunk, final) => {
      if (err) return reject(err);
      parts.push(chunk as BlobPart);
      if (final) resolve(new Blob(parts, { type: 'application/zip' }));
    });
    try {
      fill((name, data) => {
        const entry = new ZipPassThrough(name);
        zip.add(entry);
        entry.push(data, true);
      });
    } catch (e) {
      reject(e as Error);
      return;
    }
    zip.end();
  });
}
