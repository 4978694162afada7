/**
 * The report as one self-contained HTML file: pictures as PNG data URIs, the style inline, no script and
 * nothing fetched, so it opens offline and shows the same as anywhere else. A test matrix opens full size in
 * place (a <details> element, no script). Every piece of text is escaped.
 */
import type { ReportModel, ReportPicture, ReportTable } from './model';
import { checkSources, type PictureSources } from './render';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;color:#1d2330;max-width:1100px;margin:2em auto;padding:0 1em}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccd;padding:.25em .6em;text-align:left}
th{background:#eef1f7}td.num{text-align:right}.missing{background:#fff4e0;border-left:4px solid #e0a030;padding:.5em 1em}
.pics{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}details.pic img{max-width:240px;cursor:zoom-in}
details.pic[open] img{max-width:none;cursor:zoom-out}details.pic summary{list-style:none}
details.pic summary::-webkit-details-marker{display:none}figcaption{font-size:13px;color:#556}
blockquote{color:#556;border-left:3px solid #ccd;margin-left:0;padding-left:1em}`;

function table(t: ReportTable): string {
  const head = t.head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const rows = t.rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i ? `<td>${esc(c)}</td>` : `<th scope="row">${esc(c)}</th>`)).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function pictures(list: ReportPicture[], uris: PictureSources): string {
  if (!list.length) return '';
  const one = (p: ReportPicture) =>
    `<figure><details class="pic"><summary><img src="${esc(uris[p.id]!)}" alt="${esc(p.title)}" ` +
    `data-picture="${esc(p.id)}"></summary></details><figcaption>${esc(p.title)} (click to enlarge)</figcaption></figure>`;
  return `<div class="pics">${list.map(one).join('')}</div>`;
}

const link = (label: string, file: string | null) =>
  file ? `<p>${esc(label)}: <a href="${esc(encodeURI(file))}">${esc(file)}</a></p>` : '';

export function renderHtml(m: ReportModel, uris: PictureSources): string {
  checkSources(m, uris);
  for (const [id, uri] of Object.entries(uris))
    if (!uri.startsWith('data:image/png;base64,'))
      throw new Error(`The image ${id} is not embedded as a PNG.`);
  const out: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    `<title>${esc(m.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(m.title)}</h1>`,
    ...m.lines.map((l) => `<p>${esc(l)}</p>`),
  ];
  if (m.missing.length)
    out.push(
      `<section class="missing"><h2>Missing</h2><ul>${m.missing.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></section>`,
    );
  out.push(table(m.overview));
  if (m.studySource) out.push(`<p><em>The study’s figures: ${esc(m.studySource)}.</em></p>`);
  if (m.firstLooks) out.push(`<p>${esc(m.firstLooks)}</p>`);
  for (const t of m.tasks) {
    out.push(`<section data-task="${esc(t.id)}"><h2>${esc(t.name)}</h2>`);
    if (t.missing) out.push(`<p class="missing">${esc(t.missing)}</p>`);
    if (t.facts.length)
      out.push(
        `<ul>${t.facts.map(([k, v]) => `<li><strong>${esc(k)}:</strong> ${esc(v)}</li>`).join('')}</ul>`,
      );
    if (t.epochs) out.push(table(t.epochs));
    for (const g of t.grids) {
      out.push(`<h3>${esc(g.title)}</h3>`, table(g.table));
      if (g.noise) out.push(`<blockquote>${esc(g.noise)}</blockquote>`);
    }
    out.push(pictures(t.pictures, uris), link('Model', t.modelFile), '</section>');
  }
  for (const c of m.comparisons) {
    out.push(
      `<section data-comparison="${esc(c.category)}"><h2>${esc(c.category)}: combined against hierarchical</h2>`,
    );
    if (c.missing) out.push(`<p class="missing">${esc(c.missing)}</p>`);
    if (c.table) out.push(table(c.table));
    out.push(...c.lines.map((l) => `<p>${esc(l)}</p>`), pictures(c.pictures, uris), '</section>');
  }
  if (m.threeRoutes)
    out.push(
      '<section data-comparison="three routes"><h2>Three routes: flat, hierarchical and combined</h2>',
      table(m.threeRoutes.table),
      table(m.threeRoutes.byCategory),
      `<ul>${m.threeRoutes.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul></section>`,
    );
  out.push(link('Labeller bundle', m.labellerFile), '</body></html>', '');
  return out.join('\n');
}
