/**
 * The report as Markdown (report.md): pictures are relative file names beside it (confusion/….png), every
 * piece of text escaped so that a class or dataset name cannot become markup.
 */
import { strToU8, zipSync } from 'fflate';
import type { ReportModel, ReportTable } from './model';
import { checkSources, type PictureSources } from './render';

/**
 * Escapes Markdown's inline markup (and raw HTML) in a piece of text, and every line break (CR, LF, CRLF, NEL and
 * the Unicode line and paragraph separators), so that a name cannot start a list item or a heading of its own.
 */
export const mdText = (s: string) =>
  s
    .replace(/[\\`*_[\]<>|#~]/g, '\\$&')
    .replace(/&(?=#?\w+;)/g, '&amp;')
    .replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, ' ');

/** mdText for text that starts a line: a list marker, a setext underline or a number and dot there escaped too. */
export const mdLine = (s: string) =>
  mdText(s)
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');

function table(t: ReportTable): string[] {
  const row = (cells: string[]) => `| ${cells.map(mdText).join(' | ')} |`;
  return [row(t.head), `| ${t.head.map(() => '---').join(' | ')} |`, ...t.rows.map(row), ''];
}

const picture = (title: string, file: string) => `![${mdText(title)}](${encodeURI(file)})`;

export function renderMarkdown(m: ReportModel, files: PictureSources): string {
  checkSources(m, files);
  const md: string[] = [`# ${mdText(m.title)}`, ''];
  for (const l of m.lines) md.push(mdLine(l), '');
  if (m.missing.length) md.push('**Missing:**', '', ...m.missing.map((x) => `- ${mdLine(x)}`), '');
  md.push(...table(m.overview));
  if (m.studySource) md.push(`_The study’s figures: ${mdText(m.studySource)}._`, '');
  if (m.firstLooks) md.push(mdText(m.firstLooks), '');
  for (const t of m.tasks) {
    md.push(`## ${mdText(t.name)}`, '');
    if (t.missing) md.push(mdLine(t.missing), '');
    for (const [k, v] of t.facts) md.push(`- **${mdText(k)}:** ${mdText(v)}`);
    if (t.facts.length) md.push('');
    if (t.epochs) md.push(...table(t.epochs));
    for (const g of t.grids) {
      md.push(`**${mdText(g.title)}**`, '', ...table(g.table));
      if (g.noise) md.push(`> ${mdLine(g.noise)}`, '');
    }
    for (const p of t.pictures) md.push(picture(p.title, files[p.id]!), '');
    if (t.modelFile) md.push(`Model: [${mdText(t.modelFile)}](${encodeURI(t.modelFile)})`, '');
  }
  for (const c of m.comparisons) {
    md.push(`## ${mdText(c.category)}: combined against hierarchical`, '');
    if (c.missing) md.push(mdLine(c.missing), '');
    if (c.table) md.push(...table(c.table));
    for (const l of c.lines) md.push(mdLine(l), '');
    for (const p of c.pictures) md.push(picture(p.title, files[p.id]!), '');
  }
  if (m.threeRoutes) {
    md.push('## Three routes: flat, hierarchical and combined', '');
    md.push(...table(m.threeRoutes.table), ...table(m.threeRoutes.byCategory));
    for (const l of m.threeRoutes.lines) md.push(`- ${mdLine(l)}`);
    md.push('');
  }
  if (m.labellerFile)
    md.push(`Labeller bundle: [${mdText(m.labellerFile)}](${encodeURI(m.labellerFile)})`, '');
  return md.join('\n');
}

/** report.md and its PNGs (by their file names in it) as one zip. */
export function markdownZip(markdown: string, pngs: Readonly<Record<string, Uint8Array>>): Uint8Array {
  const files: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = { 'report.md': strToU8(markdown) };
  for (const [name, png] of Object.entries(pngs)) files[name] = [png, { level: 0 }];
  return zipSync(files);
}
