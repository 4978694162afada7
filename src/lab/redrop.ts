/** Recognising a folder dropped again: same listing, same content (hashed in the workers, not decoded). */
import { changedFiles, recordedHashes } from '../core/fingerprint';
import { progressAt, type Progress } from '../core/format';
import type { LabDeps, Walked } from './deps';

/** The id of a cached dataset made from exactly these files, or null. Newest candidates first. */
export async function findCachedCopy(
  { storage, host, clock }: Pick<LabDeps, 'storage' | 'host' | 'clock'>,
  walked: Walked,
  listingKey: string,
  poolSize: number | undefined,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<string | null> {
  const candidates = (await storage.listDatasets()).filter((d) => d.listingKey === listingKey);
  if (candidates.length === 0) return null;
  const pool = host.decoder(poolSize);
  try {
    const t0 = clock.now();
    let current: Map<string, string | null> | null = null;
    for (const candidate of candidates) {
      const manifest = await storage.readManifest(candidate.id);
      if (!manifest) continue;
      const recorded = recordedHashes(manifest);
      if (!current) {
        const byPath = new Map(walked.files.map((f) => [f.path, f]));
        const items = [...recorded.keys()].map((path) => byPath.get(path)).filter((f) => f !== undefined);
        onProgress(progressAt(0, items.length, t0, t0));
        const hashes = await pool.hashes(items, signal);
        current = new Map(items.map((f, i) => [f.path, hashes[i] ?? null]));
        onProgress(progressAt(items.length, items.length, t0, clock.now()));
      }
      if (signal?.aborted) return null;
      if (changedFiles(recorded, current).length === 0) return candidate.id;
    }
    return null;
  } finally {
    pool.terminate();
  }
}
