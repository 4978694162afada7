/** The dataset a worker trains or predicts on, read once from IndexedDB and kept while it is the one in use. */
import { ImageStore, type DatasetManifest } from '../core/dataset';
import { loadDataset } from '../data/cache';

let open: { id: string; manifest: DatasetManifest; images: ImageStore } | null = null;

export async function openDataset(id: string) {
  if (open?.id === id) return open;
  open = null;
  const loaded = await loadDataset(id);
  if (!loaded.ok)
    throw new Error(`The dataset could not be read from this browser's storage: ${loaded.reason}.`);
  const { manifest, chunks } = loaded;
  open = { id, manifest, images: new ImageStore(chunks, manifest.labels.length, manifest.chunkImages) };
  return open;
}
