import { describe, expect, it } from 'vitest';
import { reportInput } from '../testing/reportFixture';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { buildReport, reportPictures, routePictureId, taskPictureId } from './model';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const m = buildReport(reportInput());
const files = Object.fromEntries(reportPictures(m).map((p) => [p.id, `confusion/${p.id}.png`]));
const uris = Object.fromEntries(reportPictures(m).map((p) => [p.id, PNG]));

describe('the report as Markdown', () => {
  const md = renderMarkdown(m, files);

  it('holds every task, comparison and picture, and what is missing', () => {
    for (const t of ['## Primary', '## Glasses & Sunglasses', '## Shoes — Male types', '## Shoes: combined'])
      expect(md).toContain(t);
    for (const f of Object.values(files)) expect(md).toContain(`](${f})`);
    expect(md).toContain('- Shoes — Male types has not been trained.');
    expect(md).toContain('## Three routes');
  });

  it('escapes text so that a name cannot become markup', () => {
    expect(md).toContain('# Fashion CNN Lab report: Demo \\<catalog\\>');
    const odd = buildReport(
      reportInput({ dataset: { ...reportInput().dataset, name: 'a|b *c* [x](y) &amp;' } }),
    );
    const title = renderMarkdown(odd, files).split('\n')[0];
    expect(title).toBe('# Fashion CNN Lab report: a\\|b \\*c\\* \\[x\\](y) &amp;amp;');
  });

  it('escapes every line break, so that a folder name cannot add list items or headings', () => {
    for (const br of ['\r', '\n', '\r\n', '\u2028', '\u2029', '\u0085']) {
      const name = `Shoes${br}- injected item${br}# Injected heading${br}1. step`;
      const odd = buildReport(reportInput({ dataset: { ...reportInput().dataset, name } }));
      const md = renderMarkdown(odd, files);
      const lines = md.split(/\r\n|[\r\n\u2028\u2029\u0085]/);
      expect(lines[0]).toBe('# Fashion CNN Lab report: Shoes - injected item \\# Injected heading 1. step');
      expect(lines.filter((l) => /^(- injected|# Injected|1\. step)/.test(l))).toEqual([]);
    }
  });

  it('escapes a list marker or a numbered step at the start of a line', () => {
    const odd = buildReport(reportInput({ dataset: { ...reportInput().dataset, name: 'x' } }));
    odd.lines = ['- not a list', '+ nor this', '3. nor a step', '== nor a heading'];
    const md = renderMarkdown(odd, files);
    for (const l of ['\\- not a list', '\\+ nor this', '3\\. nor a step', '\\== nor a heading'])
      expect(md.split('\n')).toContain(l);
  });

  it('refuses to leave an image out', () => {
    const id = taskPictureId('Primary', 'test');
    const { [id]: _gone, ...rest } = files;
    expect(() => renderMarkdown(m, rest)).toThrow(`no image for ${id}`);
  });
});

describe('picture file names', () => {
  it('are unique per task even where the slugs collide (A&B and A B, names of emoji alone)', () => {
    const names = ['A&B', 'A B', 'a-b', '👟', '🎒', '👟👟', 'Shoes — Male types', 'Shoes Male types'];
    const ids = names.flatMap((n) => [
      taskPictureId(n, 'test'),
      taskPictureId(n, 'validation'),
      routePictureId(n, 'combined'),
      routePictureId(n, 'hierarchical'),
    ]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(taskPictureId('Primary', 'test')).toMatch(/^primary-test-[0-9a-z]+$/);
    for (const id of ids) expect(id).toMatch(/^[\p{L}\p{N}-]+$/u);
  });
});

describe('the report as one HTML file', () => {
  const html = renderHtml(m, uris);

  it('has no script and fetches nothing: every image is a PNG data URI', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
    const srcs = [...html.matchAll(/<img src="([^"]*)"/g)].map((x) => x[1]);
    expect(srcs).toHaveLength(reportPictures(m).length);
    for (const s of srcs) expect(s).toBe(PNG);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('shows every task, each comparison and what is missing', () => {
    expect(html.match(/<section data-task=/g)).toHaveLength(3);
    expect(html).toContain('data-comparison="Shoes"');
    expect(html).toContain('data-comparison="three routes"');
    expect(html).toContain('<li>Shoes — Male types has not been trained.</li>');
  });

  it('escapes all text', () => {
    expect(html).toContain('Demo &lt;catalog&gt;');
    expect(html).not.toContain('<catalog>');
    const evil = buildReport(
      reportInput({ dataset: { ...reportInput().dataset, name: '<script>alert(1)</script>' } }),
    );
    expect(renderHtml(evil, uris)).not.toMatch(/<script/i);
  });

  it('refuses an image that is missing or not embedded', () => {
    const id = routePictureId('Shoes', 'combined');
    const { [id]: _gone, ...rest } = uris;
    expect(() => renderHtml(m, rest)).toThrow(`no image for ${id}`);
    const test = taskPictureId('Primary', 'test');
    expect(() => renderHtml(m, { ...uris, [test]: `confusion/${test}.png` })).toThrow('not embedded');
  });
});
