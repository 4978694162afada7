/** The demo catalog's files: which image of which class goes where. */
import { DEMO_CLASSES } from './taxonomy';

export interface DemoFile {
  /** Path below the catalog root, e.g. `Shoes/Female/High heels/high-heels-0007.jpg`. */
  path: string;
  classIndex: number;
  item: number;
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export function demoFiles(perClass: number): DemoFile[] {
  if (!Number.isInteger(perClass) || perClass < 1)
    throw new RangeError('images per class must be a whole number ≥ 1');
  const files: DemoFile[] = [];
  DEMO_CLASSES.forEach((cls, classIndex) => {
    const prefix = cls.path.map(slug).slice(1).join('-');
    for (let item = 0; item < perClass; item++) {
      files.push({
        path: `${cls.path.join('/')}/${prefix}-${String(item).padStart(4, '0')}.jpg`,
        classIndex,
        item,
      });
    }
  });
  return files;
}

/** Interleaves classes (item 0 of every class, then item 1, …) so a partial catalog is balanced. */
export function interleaved(files: DemoFile[]): DemoFile[] {
  return [...files].sort((a, b) => a.item - b.item || a.classIndex - b.classIndex);
}
