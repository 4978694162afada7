/** The dataset a worker trains or predicts on, read once from IndexedDB and kept while it is the one in use. */
import { ImageStore, type DatasetManifest } from '../core/dataset';
import { loadDataset } from '../data/cache';

export class OpenDataset {
  private open: { id: string; manifest: DatasetManifest; images: ImageStore } | null = null;

  async get(id: string) {
    if (this.open?.id === id) return this.open;
    this.open = null;
    const loaded = await loadDataset(id);
    if (!loaded.ok)
      throw new Error(`The dataset could not be read from this browser's storage: ${loaded.reason}.`);
    const { manifest, chunks } = loaded;
    this.open = {
      id,
      manifest,
      images: new ImageStore(chunks, manifest.labels.length, manifest.chunkImages),
    };
    return this.open;
  }
}
