/** Generated test folders: good images in every common format, and every kind of file the importer must skip. */
import { mkdirSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encode, encodeBmp, encodeGif, type Painter } from './encode';

const shape =
  (hue: number, kind: 'rect' | 'circle', seed: number): Painter =>
  (ctx, w, h) => {
    ctx.fillStyle = '#f4f4f2';
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = `hsl(${hue}, 60%, ${35 + (seed % 5) * 6}%)`;
    if (kind === 'rect') ctx.fillRect(w * 0.25, h * 0.2 + (seed % 7), w * 0.5, h * 0.6);
    else {
      ctx.beginPath();
      ctx.arc(w / 2 + (seed % 9) - 4, h / 2, Math.min(w, h) * 0.3, 0, Math.PI * 2);
      ctx.fill();
    }
  };

export interface BasicFolder {
  root: string;
  /** Expected images per class label ("A / B"), after skipping. */
  counts: Record<string, number>;
  /** Expected skipped paths (relative to root) and a pattern their reason must match. */
  skipped: Record<string, RegExp>;
  emptyFolders: string[];
}

function put(root: string, rel: string, data: Buffer | string, mtime = 1_700_000_000) {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
  utimesSync(file, mtime, mtime); // stable dates: the cache fingerprint must not depend on when tests ran
}

/** The study's tree in miniature, 3:4 and odd aspects, all formats, and the bad files from the data issue. */
export function makeBasicFolder(root: string, perClass = 6): BasicFolder {
  rmSync(root, { recursive: true, force: true });
  const counts: Record<string, number> = {};
  const add = (label: string[], n: number, make: (i: number) => [string, Buffer]) => {
    for (let i = 0; i < n; i++) {
      const [name, data] = make(i);
      put(root, [...label, name].join('/'), data);
    }
    counts[label.join(' / ')] = (counts[label.join(' / ')] ?? 0) + n;
  };
  add(['Glasses & Sunglasses', 'Glasses'], perClass, (i) => [
    `g${i}.jpg`,
    encode('jpeg', 300, 400, shape(200, 'circle', i)),
  ]);
  add(['Glasses & Sunglasses', 'Sunglasses'], perClass, (i) => [
    `s${i}.png`,
    encode('png', 300, 400, shape(20, 'circle', i)),
  ]);
  add(['Shoes', 'Female', 'High heels'], perClass, (i) => [
    `h${i}.webp`,
    encode('webp', 300, 400, shape(320, 'rect', i)),
  ]);
  add(['Shoes', 'Male', 'Boots'], perClass - 2, (i) => [
    `b${i}.jpg`,
    encode('jpeg', 640, 360, shape(30, 'rect', i)),
  ]);
  add(['Shoes', 'Male', 'Boots'], 1, () => ['b-bmp.bmp', encodeBmp(90, 120, shape(30, 'rect', 99))]);
  add(['Shoes', 'Male', 'Boots'], 1, () => [
    'b-anim.gif',
    encodeGif(60, 80, [
      { fg: [120, 60, 20], mask: (x, y) => x > 15 && x < 45 && y > 10 && y < 70 },
      { fg: [0, 0, 255], mask: () => true },
    ]),
  ]);
  add(['Trousers & Jeans', 'Jeans'], perClass, (i) => [
    `j${i}.jpg`,
    encode('jpeg', 120, 160, shape(220, 'rect', i)),
  ]);
  // A PNG with transparency: composited on white.
  add(['Trousers & Jeans', 'Jeans'], 1, () => [
    'alpha.png',
    encode('png', 300, 400, (ctx, w, h) => {
      ctx.clearRect(0, 0, w, h);
      ctx.fillStyle = 'rgba(30, 60, 150, 1)';
      ctx.fillRect(w / 4, h / 4, w / 2, h / 2);
    }),
  ]);
  // The same photo under two labels: leakage the dataset view must flag.
  add(['Glasses & Sunglasses', 'Sunglasses'], 1, () => [
    'copy-of-g1.jpg',
    encode('jpeg', 300, 400, shape(200, 'circle', 1)),
  ]);
  // Names that must be shown as text, never run.
  add(['Trousers & Jeans', 'Jeans'], 1, () => [
    `<img src=x onerror=alert(1)>.jpg`,
    encode('jpeg', 300, 400, shape(221, 'rect', 50)),
  ]);

  const goodJpeg = encode('jpeg', 300, 400, shape(90, 'rect', 3));
  const skipped: Record<string, RegExp> = {
    '.DS_Store': /system file/,
    'Shoes/Thumbs.db': /system file/,
    'Shoes/Male/Boots/notes.txt': /not an image \(\.txt file\)/,
    'Shoes/Male/Boots/empty.jpg': /empty file/,
    'Shoes/Female/High heels/fake.jpg': /not a known image format/,
    'Glasses & Sunglasses/Glasses/truncated.jpg': /truncated JPEG/,
    'Glasses & Sunglasses/Glasses/corrupt.png': /corrupt|truncated|could not decode/,
    'loose-at-root.jpg': /no label folder/,
    'Shoes/<script>window.__pwned=1</script>.txt': /not an image/,
  };
  put(root, 'Shoes/<script>window.__pwned=1</script>.txt', 'names are text');
  put(root, '.DS_Store', Buffer.from([0, 0, 0, 1, 66, 117, 100, 49]));
  put(root, 'Shoes/Thumbs.db', Buffer.from('thumbs'));
  put(root, 'Shoes/Male/Boots/notes.txt', 'photographer: unknown');
  put(root, 'Shoes/Male/Boots/empty.jpg', Buffer.alloc(0));
  put(root, 'Shoes/Female/High heels/fake.jpg', '<html>not really a jpeg</html>');
  put(
    root,
    'Glasses & Sunglasses/Glasses/truncated.jpg',
    goodJpeg.subarray(0, Math.floor(goodJpeg.length / 2)),
  );
  const png = encode('png', 300, 400, shape(10, 'rect', 1));
  const broken = Buffer.from(png);
  broken.fill(0x41, 40, png.length - 20); // header and IEND intact, pixel data garbage
  put(root, 'Glasses & Sunglasses/Glasses/corrupt.png', broken);
  put(root, 'loose-at-root.jpg', goodJpeg);
  mkdirSync(join(root, 'Shoes/Female/Empty class'), { recursive: true });
  return { root, counts, skipped, emptyFolders: ['Shoes/Female/Empty class'] };
}

/** A folder with a single class: not a dataset. */
export function makeOneClassFolder(root: string): void {
  rmSync(root, { recursive: true, force: true });
  for (let i = 0; i < 3; i++) put(root, `Only/x${i}.jpg`, encode('jpeg', 300, 400, shape(10, 'rect', i)));
}

/** Many small 3:4 JPEGs, for cancelling mid-import and for benchmarks. */
export function makeManyFolder(root: string, perClass: number, classes = 4): void {
  rmSync(root, { recursive: true, force: true });
  for (let c = 0; c < classes; c++)
    for (let i = 0; i < perClass; i++)
      put(
        root,
        `Class ${c}/img${i}.jpg`,
        encode('jpeg', 300, 400, shape(c * 80, i % 2 ? 'rect' : 'circle', i)),
      );
}

/**
 * Known pixels for checking resize policies and alpha: Wide/ holds a 640x360 dark red JPEG with a white band on
 * its left 20%; Clear/ holds a 300x400 PNG, transparent but for a dark blue square in the middle.
 */
export function makeAspectFolder(root: string): void {
  rmSync(root, { recursive: true, force: true });
  put(
    root,
    'Wide/wide.jpg',
    encode('jpeg', 640, 360, (ctx, w, h) => {
      ctx.fillStyle = '#800000';
      ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, w * 0.2, h);
    }),
  );
  put(
    root,
    'Clear/clear.png',
    encode('png', 300, 400, (ctx, w, h) => {
      ctx.clearRect(0, 0, w, h);
      ctx.fillStyle = '#000080';
      ctx.fillRect(w / 4, h / 4, w / 2, h / 2);
    }),
  );
}
