/**
 * npm run contact-sheet -- [--out FILE.png] [--per-row N] [--seed S] [--scale F]
 * Renders the demo catalog as one PNG, a row per class, so a person can look at it.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { DEMO_CLASSES, DEMO_HEIGHT, DEMO_WIDTH } from '../src/demo/taxonomy';
import { renderCanvas } from './demo/render';
import { scriptFlags } from './args';

const flags = scriptFlags(
  'usage: npm run contact-sheet -- [--out FILE.png] [--per-row N] [--seed S] [--scale F]',
  {
    out: { type: 'string', default: 'demo-contact-sheet.png' },
    'per-row': { type: 'string' },
    seed: { type: 'string' },
    scale: { type: 'string' },
  },
);
const out = resolve(flags.values.out);
const perRow = flags.number('per-row', 10, true);
const seed = flags.number('seed', 1, true);
const scale = flags.number('scale', 0.4);
const labelW = 260;
const cw = Math.round(DEMO_WIDTH * scale);
const ch = Math.round(DEMO_HEIGHT * scale);
const sheet = createCanvas(labelW + perRow * cw, DEMO_CLASSES.length * ch);
const ctx = sheet.getContext('2d');
ctx.fillStyle = '#fff';
ctx.fillRect(0, 0, sheet.width, sheet.height);
DEMO_CLASSES.forEach((cls, row) => {
  ctx.fillStyle = '#222';
  ctx.font = '15px sans-serif';
  cls.path.forEach((part, k) => ctx.fillText(part, 8, row * ch + 24 + k * 19));
  for (let item = 0; item < perRow; item++) {
    const { canvas } = renderCanvas(row, item, seed);
    ctx.drawImage(canvas, labelW + item * cw, row * ch, cw, ch);
  }
});
writeFileSync(out, sheet.toBuffer('image/png'));
console.log(`Wrote ${out} (${DEMO_CLASSES.length} classes x ${perRow} images, seed ${seed})`);
