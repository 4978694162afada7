import { describe, expect, it } from 'vitest';
import { CHUNK_IMAGES } from '../core/dataset';
import { IMAGE_BYTES } from '../core/image';
import { Lab } from './lab';
import { FULL_DISK, fakeDeps, folder, ManualClock, MemoryStorage } from './testing/fakes';

/** n images per class in two classes, each file's first character its own. */
function photos(perClass: number) {
  const files: Record<string, string> = {};
  for (let i = 0; i < perClass; i++) {
    files[`Shoes/Boots/${i}.jpg`] = `${String.fromCharCode(65 + (i % 26))}boot${i}`;
    files[`Shoes/Sandals/${i}.jpg`] = `${String.fromCharCode(97 + (i % 26))}sandal${i}`;
  }
  return files;
}

describe('the import session', () => {
  it('imports a folder: classes from the folder names, every bad file listed, the images stored in chunks', async () => {
    const { deps, storage, decoders } = fakeDeps();
    const lab = new Lab(deps);
    const walked = folder('My photos', { ...photos(3), 'Shoes/Boots/broken.jpg': 'bad bytes' });
    await lab.data.importFolder(walked);

    const s = lab.getState();
    expect(s.error).toBeNull();
    expect(s.phase).toBe('ready');
    expect(s.dataset?.name).toBe('My photos');
    expect(s.dataset?.classes).toEqual([
      ['Shoes', 'Boots'],
      ['Shoes', 'Sandals'],
    ]);
    expect(s.dataset?.images).toBe(6);
    expect(s.dataset?.skipped).toEqual([
      { path: 'Shoes/Boots/broken.jpg', reason: 'not an image', hash: 'h:bad bytes' },
    ]);
    await expect.poll(() => lab.getState().cached.map((c) => c.name)).toEqual(['My photos']);
    // The pixels are the decoder's, in the order the manifest lists the files; the manifest is stored.
    const open = lab.data.opened!;
    const m = open.manifest;
    const texts = photos(3) as Record<string, string>;
    expect(m.files.map((_, i) => open.images.image(i)[0])).toEqual(
      m.files.map((p) => texts[p]!.charCodeAt(0)),
    );
    expect(m.labels).toEqual(m.files.map((p) => (p.includes('Boots') ? 0 : 1)));
    expect(storage.manifests.get(m.id)).toEqual(m);
    expect(decoders.every((d) => d.terminated)).toBe(true);
  });

  it('opens a folder dropped again from the cache, hashing its files instead of decoding them', async () => {
    const { deps, decoders } = fakeDeps();
    const lab = new Lab(deps);
    await lab.data.importFolder(folder('Again', photos(2)));
    const first = lab.getState().dataset!.id;
    const decodedBefore = decoders.flatMap((d) => d.decoded).length;
    await lab.data.importFolder(folder('Again', photos(2)));
    expect(lab.getState().dataset?.id).toBe(first);
    expect(lab.getState().dataset?.fromCache).toBe(true);
    expect(decoders.flatMap((d) => d.decoded).length).toBe(decodedBefore);
  });

  it('a full disk: the message says so, the import fails cleanly and nothing half-written is kept', async () => {
    const storage = new MemoryStorage();
    storage.quotaBytes = CHUNK_IMAGES * IMAGE_BYTES; // one chunk fits, the second does not
    const { deps } = fakeDeps({ storage });
    const lab = new Lab(deps);
    await lab.data.importFolder(folder('Too big', photos(CHUNK_IMAGES)));
    const s = lab.getState();
    expect(s.error).toBe(FULL_DISK);
    expect(s.phase).toBe('idle');
    expect(s.dataset).toBeNull();
    expect(storage.manifests.size).toBe(0);
    expect(storage.chunks.size).toBe(0);
    expect(storage.pending.size).toBe(0);
  });

  it('an import cut off by a reload: the next page says so, and the same folder continues after what was stored', async () => {
    const storage = new MemoryStorage();
    storage.crashDuringImport = true;
    const clock = new ManualClock();
    const first = fakeDeps({
      storage,
      clock,
      decoder: (d) => {
        d.hangAfter = CHUNK_IMAGES + 20;
        d.onEach = () => (clock.ms += 100); // progress is recorded about once a second
      },
    });
    const walked = folder('Big folder', photos(60));
    void new Lab(first.deps).data.importFolder(walked);
    await expect.poll(() => storage.pending.values().next().value?.progress?.files.length).toBe(CHUNK_IMAGES);

    // The reload: a new Lab on the same storage.
    const again = fakeDeps({ storage, clock });
    const lab = new Lab(again.deps);
    await lab.data.startUp();
    expect(lab.getState().notice).toContain(
      `The import of “Big folder” was cut off after ${CHUNK_IMAGES} images`,
    );
    expect(lab.getState().unfinished).toHaveLength(1);
    await lab.data.importFolder(folder('Big folder', photos(60)));
    const s = lab.getState();
    expect(s.error).toBeNull();
    expect(s.dataset?.images).toBe(120);
    expect(s.dataset?.resumed).toBe(CHUNK_IMAGES);
    expect(again.decoders.flatMap((d) => d.decoded)).toHaveLength(120 - CHUNK_IMAGES);
    expect(new Set(lab.data.opened!.manifest.files).size).toBe(120);
  });

  it('cancelling stops the import and saves nothing', async () => {
    const { deps, storage } = fakeDeps({ decoder: (d) => (d.hangAfter = 3) });
    const lab = new Lab(deps);
    const importing = lab.data.importFolder(folder('Cancelled', photos(5)));
    await expect.poll(() => lab.getState().phase).toBe('importing');
    lab.data.cancelImport();
    await importing;
    expect(lab.getState().error).toBe('Import cancelled; nothing was saved.');
    expect(storage.manifests.size).toBe(0);
  });
});
