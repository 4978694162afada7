import { useEffect, useMemo, useRef, useState } from 'react';
import { chosenRun } from '../../core/chosenRun';
import { comparableNow, reportInputFromLab } from '../../core/report/fromLab';
import { renderHtml } from '../../core/report/html';
import { markdownZip, renderMarkdown } from '../../core/report/markdown';
import {
  buildReport,
  reportPictures,
  routePictureId,
  taskPictureId,
  type ReportModel,
} from '../../core/report/model';
import { useLab, useOpenDataset } from '../../state/store';
import { fileSafe, saveBlob } from '../download';
import { pictureUri, uriBytes } from './pictures';
import { Table, Thumbnails, type PictureDetail } from './ReportSections';

function downloads(model: ReportModel, uris: Record<string, string>, name: string) {
  const base = `${fileSafe(name)}-report`;
  return {
    html: () => saveBlob(new Blob([renderHtml(model, uris)], { type: 'text/html' }), `${base}.html`),
    markdown: () => {
      const files = Object.fromEntries(Object.keys(uris).map((id) => [id, `confusion/${id}.png`]));
      const pngs = Object.fromEntries(Object.keys(uris).map((id) => [files[id]!, uriBytes(uris[id]!)]));
      const zip = markdownZip(renderMarkdown(model, files), pngs);
      saveBlob(new Blob([zip as BlobPart], { type: 'application/zip' }), `${base}.zip`);
    },
  };
}

/**
 * The study at a glance: every task's chosen model, the spread of its grids, each category's route comparison
 * (run here once its models are trained), the study's figures on the demo catalog, and what is missing; the same
 * report downloads as one HTML file and as Markdown with its PNGs.
 */
export function ReportView({ datasetId, classes }: { datasetId: string; classes: string[][] }) {
  const s = useLab();
  const labels = useOpenDataset()?.manifest.labels;
  const { openTraining, compare, tasks, runs, jobs, comparisons, comparing, training } = s;
  const { threeRoutes: three, threeRoutesNote: threeNote } = s;
  useEffect(() => void openTraining(datasetId, classes), [openTraining, datasetId, classes]);

  // The comparisons whose models are all trained run once each when the report opens.
  const tried = useRef(new Set<string>());
  const ready = useMemo(() => comparableNow(tasks, runs), [tasks, runs]);
  const fromDataset = s.labellerChoice === 'dataset';
  useEffect(() => {
    if (comparing !== null || training || !fromDataset) return;
    const next = ready.find((c) => !comparisons[c] && !tried.current.has(c));
    if (!next) return;
    tried.current.add(next);
    void compare(next);
  }, [ready, comparisons, comparing, training, fromDataset, compare]);

  const [createdAt] = useState(() => new Date().toISOString());
  const dataset = s.dataset!;
  const backend = s.trainedOn?.label ?? null;
  const model = useMemo(
    () =>
      buildReport(
        reportInputFromLab({
          dataset,
          tasks,
          runs,
          jobs,
          comparisons,
          threeRoutes: three,
          threeRoutesNote: threeNote,
          backend,
          createdAt,
        }),
      ),
    [dataset, tasks, runs, jobs, comparisons, three, threeNote, backend, createdAt],
  );
  const uris = useMemo(
    () => Object.fromEntries(reportPictures(model).map((p) => [p.id, pictureUri(p)])),
    [model],
  );
  const details = useMemo(() => {
    const m = new Map<string, PictureDetail>();
    for (const t of tasks) {
      const run = chosenRun(runs, t.id);
      if (!run || !labels) continue;
      // Mirrored copies (flip augmentation) are numbered after the dataset's images.
      const truthOf = (item: number) => t.targetOf[labels[item % labels.length]!]!;
      if (run.test)
        m.set(taskPictureId(t.name, 'test'), {
          examples: { ...run.test, truth: run.test.items.map(truthOf) },
          runId: run.modelSaved ? run.id : undefined,
        });
      if (run.validation)
        m.set(taskPictureId(t.name, 'validation'), {
          examples: { ...run.validation, truth: run.validation.items.map(truthOf) },
        });
    }
    for (const c of Object.values(comparisons))
      for (const route of ['combined', 'hierarchical'] as const)
        m.set(routePictureId(c.category, route), { examples: c.byRoute[route] });
    return m;
  }, [tasks, runs, labels, comparisons]);
  const detail = (id: string) => details.get(id) ?? {};
  const [open, setOpen] = useState<string | null>(null);
  const save = downloads(model, uris, dataset.name);

  return (
    <section className="report" data-testid="report" aria-label="Report">
      <h2>{model.title}</h2>
      {model.lines.map((l) => (
        <p key={l} className="hint">
          {l}
        </p>
      ))}
      <div className="buttons">
        <button type="button" onClick={save.html}>
          Download as HTML
        </button>
        <button type="button" onClick={save.markdown}>
          Download as Markdown (.zip)
        </button>
      </div>
      {comparing && (
        <p aria-live="polite" className="hint">
          Comparing the routes of {comparing}…
        </p>
      )}
      {model.missing.length > 0 && (
        <div className="warning" data-testid="report-missing">
          <strong>Missing:</strong>
          <ul>
            {model.missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      <Table t={model.overview} testId="report-overview" />
      {model.studySource && <p className="hint">The study’s figures: {model.studySource}.</p>}
      {model.firstLooks && (
        <p className="hint" data-testid="report-first-looks">
          {model.firstLooks}
        </p>
      )}
      {model.tasks.map((t) => (
        <section key={t.id} data-testid={`report-task-${t.id}`} aria-label={t.name}>
          <h3>{t.name}</h3>
          {t.missing && <p className="warning">{t.missing}</p>}
          {t.facts.length > 0 && (
            <dl className="report-facts">
              {t.facts.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          )}
          {t.epochs && (
            <details>
              <summary>Epochs of the chosen run</summary>
              <Table t={t.epochs} />
            </details>
          )}
          {t.grids.map((g, i) => (
            <div key={i}>
              <h4>{g.title}</h4>
              <Table t={g.table} />
              {g.noise && <p className="hint">{g.noise}</p>}
            </div>
          ))}
          <Thumbnails pictures={t.pictures} uris={uris} open={open} onOpen={setOpen} detail={detail} />
        </section>
      ))}
      {model.comparisons.map((c) => (
        <section key={c.category} data-testid={`report-comparison-${c.category}`} aria-label={c.category}>
          <h3>{c.category}: combined against hierarchical</h3>
          {c.missing && <p className="warning">{c.missing}</p>}
          {c.table && <Table t={c.table} />}
          {c.lines.map((l) => (
            <p key={l}>{l}</p>
          ))}
          <Thumbnails pictures={c.pictures} uris={uris} open={open} onOpen={setOpen} detail={detail} />
        </section>
      ))}
      {model.threeRoutes && (
        <section data-testid="report-three-routes" aria-label="Three routes">
          <h3>Three routes: flat, hierarchical and combined</h3>
          <Table t={model.threeRoutes.table} />
          <Table t={model.threeRoutes.byCategory} />
          <ul>
            {model.threeRoutes.lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
