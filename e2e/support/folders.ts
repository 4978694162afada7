/** Generated test folders: good images in every common format, and every kind of file the importer must skip. */
import { mkdirSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
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

/** A PNG written by hand: `width`×`height`, RGB at `depth` bits, every pixel `rgb` (0–1), deflated. */
export function rawPng(
  width: number,
  height: number,
  rgb: [number, number, number],
  depth: 8 | 16 = 8,
): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = 2; // truecolour
  const bytes = depth / 8;
  const row = Buffer.alloc(1 + width * 3 * bytes);
  for (let x = 0; x < width; x++)
    for (let c = 0; c < 3; c++) {
      const v = Math.round(rgb[c]! * (depth === 16 ? 65535 : 255));
      if (depth === 16) row.writeUInt16BE(v, 1 + (x * 3 + c) * 2);
      else row[1 + x * 3 + c] = v;
    }
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface HostileFolder {
  root: string;
  counts: Record<string, number>;
  skipped: Record<string, RegExp>;
}

/** Everything a real photo folder can throw at the importer, beyond the basic folder's bad files. */
export function makeHostileFolder(root: string): HostileFolder {
  rmSync(root, { recursive: true, force: true });
  const good = (i: number) => encode('jpeg', 300, 400, shape(40 + i * 20, 'rect', i));
  const counts: Record<string, number> = {};
  const add = (path: string, data: Buffer) => {
    put(root, path, data);
    const label = path.split('/').slice(0, -1).join(' / ');
    counts[label] = (counts[label] ?? 0) + 1;
  };
  add('Odd sizes/huge 8000x8000.png', rawPng(8000, 8000, [0.8, 0.2, 0.2]));
  add('Odd sizes/one pixel.png', rawPng(1, 1, [0.1, 0.5, 0.9]));
  add('Odd sizes/deep 16-bit.png', rawPng(30, 40, [0.25, 0.5, 0.75], 16));
  add(
    'Odd sizes/animated.gif',
    encodeGif(60, 80, [
      { fg: [200, 0, 0], mask: (x, y) => x > 10 && x < 50 && y > 10 && y < 70 },
      { fg: [0, 0, 255], mask: () => true },
    ]),
  );
  add('Names/Ünïcödé 日本語 🙂.jpg', good(1));
  add('Names/spaces & ampersands & "quotes".jpg', good(2));
  add('Names/<img src=x onerror="window.__pwned=1">.jpg', good(3));
  add('Names/<svg onload=alert(1)> & <b>bold.jpg', good(4)); // no "/" in a file name
  add('Deep/level 2/level 3/level 4/level 5/deep.jpg', good(5));
  add('Deep/level 2/level 3/level 4/level 5/deeper.jpg', good(6));
  put(
    root,
    'Names/drawing.svg',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=2"><rect/></svg>',
  );
  const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]);
  put(root, 'Names/holiday.jpg', zip);
  put(root, 'Odd sizes/<iframe srcdoc=x onload="parent.__pwned=3">.png', zip);
  return {
    root,
    counts,
    skipped: {
      'Names/drawing.svg': /not an image \(\.svg file\)|not a known image format/,
      'Names/holiday.jpg': /named \.jpg but the content is not a known image format/,
      'Odd sizes/<iframe srcdoc=x onload="parent.__pwned=3">.png':
        /named \.png but the content is not a known image format/,
    },
  };
}

/**
 * A tree whose Glasses task can never train: one photo in each of its two classes, so no split holds both a
 * training and a validation image of it. Primary, Shoes and the flat task train.
 */
export function makeOneTaskFailsFolder(root: string): void {
  rmSync(root, { recursive: true, force: true });
  const classes = [
    ['Glasses & Sunglasses/Glasses', 1],
    ['Glasses & Sunglasses/Sunglasses', 1],
    ['Shoes/Boots', 10],
    ['Shoes/Sneakers', 10],
  ] as const;
  for (const [c, [path, n]] of classes.entries())
    for (let i = 0; i < n; i++)
      put(root, `${path}/${i}.jpg`, encode('jpeg', 300, 400, shape(c * 60, i % 2 ? 'rect' : 'circle', i)));
}
