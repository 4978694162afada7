import { useEffect, useRef, useState } from 'react';
import { findFlatTask, type AnyRoute } from '../../core/flatRoute';
import { formatPercent } from '../../core/format';
import { twoRouteCategories, type Route } from '../../core/pipeline';
import { deriveTasks } from '../../core/tasks';
import { routeFor, useLab, usesFlat } from '../../state/store';
import { fileSafe, saveBlob } from '../download';
import { PixelImage } from '../PixelImage';
import { CompareRoutes } from './CompareRoutes';
import { ThreeRoutes } from './ThreeRoutes';

const ROUTE_WORDS: Record<AnyRoute, string> = {
  flat: 'the flat route (one model over every leaf)',
  hierarchical: 'the hierarchical route (Primary, level 2, then the branch)',
  combined: 'the combined route (Primary, then the category’s model)',
};

/** Every label of new images, through the trained task models; the route comparison; labeller import and export. */
export function LabelView() {
  const s = useLab();
  const input = useRef<HTMLInputElement>(null);
  const zip = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const { refreshLabellers } = s;
  useEffect(() => void refreshLabellers(), [refreshLabellers]);
  const labeller = s.labeller;
  const tasks = labeller ? deriveTasks(labeller.classes) : [];
  const twoRoutes = labeller ? twoRouteCategories(tasks) : [];
  const missingTasks = tasks.filter((t) => !labeller?.models.some((m) => m.taskId === t.id));
  const fromDataset = s.labellerChoice === 'dataset';
  const flatTask = findFlatTask(tasks);
  const flatTrained = !!flatTask && !missingTasks.includes(flatTask);
  const flat = labeller ? usesFlat(s, labeller) : false;
  const three = s.threeRoutes;
  const threeFresh =
    !!three && !!labeller && three.modelIds.every((id) => labeller.models.some((m) => m.modelId === id));
  const compared = Object.values(s.comparisons).filter((c) => twoRoutes.includes(c.category) && fromDataset);

  const download = async () => {
    setBusy('bundle');
    try {
      saveBlob(await s.labellerBundle(), `${fileSafe(labeller?.name ?? 'labeller')}-labeller.zip`);
    } catch (e) {
      s.showLabelError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="label" aria-labelledby="label-title">
      <h2 id="label-title">Label images</h2>
      <div className="label-head">
        <label>
          Models
          <select value={s.labellerChoice} onChange={(e) => s.chooseLabeller(e.target.value)}>
            <option value="dataset">
              {s.dataset ? `Trained here on ${s.dataset.name}` : 'Open a dataset to use its models'}
            </option>
            {s.imported.map((l) => (
              <option key={l.id} value={l.id}>
                Imported: {l.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => zip.current?.click()}>
          Import a labeller or model (.zip)…
        </button>
        <input
          ref={zip}
          type="file"
          accept=".zip,application/zip"
          hidden
          data-testid="import-zip"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void s.importLabeller(f);
          }}
        />
        {labeller && labeller.models.length > 0 && (
          <button type="button" disabled={busy === 'bundle'} onClick={() => void download()}>
            Download this labeller (.zip)
          </button>
        )}
        {!fromDataset && (
          <button type="button" className="danger" onClick={() => void s.deleteImported(s.labellerChoice)}>
            Delete this imported labeller
          </button>
        )}
      </div>
      {s.labelError && (
        <div className="error" role="alert" data-testid="label-error">
          {s.labelError}
        </div>
      )}
      {!labeller || labeller.models.length === 0 ? (
        <p className="hint">
          No trained models yet: train the tasks in the Train step, or import a labeller.
        </p>
      ) : (
        <>
          <p className="hint" data-testid="labeller-models">
            {labeller.models.length} of {tasks.length} task models
            {missingTasks.length > 0 && <> (not trained: {missingTasks.map((t) => t.name).join(', ')})</>}.
          </p>
          {(twoRoutes.length > 0 || flatTask) && (
            <fieldset className="routes">
              <legend>{twoRoutes.length > 0 ? 'Route per category' : 'Route'}</legend>
              {flatTask && (
                <div className="route">
                  <label>
                    Labels by
                    <select
                      data-testid="flat-route"
                      value={flat ? 'flat' : 'pipeline'}
                      onChange={(e) => s.setFlatRoute(e.target.value === 'flat')}
                    >
                      <option value="pipeline">
                        The pipeline: Primary, then{' '}
                        {twoRoutes.length > 0 ? 'each category’s route' : 'its model'}
                      </option>
                      <option value="flat" disabled={!flatTrained}>
                        Flat: {flatTask.name} alone{flatTrained ? '' : ' (not trained)'}
                      </option>
                    </select>
                  </label>
                  {fromDataset && (
                    <button
                      type="button"
                      disabled={s.comparing !== null}
                      onClick={() => void s.compareThree()}
                    >
                      {s.comparing === 'three routes'
                        ? 'Comparing…'
                        : 'Compare the three routes on the test split'}
                    </button>
                  )}
                </div>
              )}
              {twoRoutes.map((c) => (
                <div key={c} className="route">
                  <label>
                    {c}
                    <select
                      disabled={flat}
                      value={routeFor(s, labeller, c)}
                      onChange={(e) => s.setRoute(c, e.target.value as Route)}
                    >
                      <option value="combined">Combined: one model for all its classes</option>
                      <option value="hierarchical">
                        Hierarchical: level-2 model, then that branch’s model
                      </option>
                    </select>
                  </label>
                  {fromDataset && (
                    <button type="button" disabled={s.comparing !== null} onClick={() => void s.compare(c)}>
                      {s.comparing === c ? 'Comparing…' : 'Compare both routes on the test split'}
                    </button>
                  )}
                </div>
              ))}
            </fieldset>
          )}
          {compared.map((c) => (
            <CompareRoutes key={c.category} c={c} />
          ))}
          {fromDataset && threeFresh && <ThreeRoutes t={three} />}
          {fromDataset && !threeFresh && s.threeRoutesNote && (
            <p className="hint" data-testid="three-routes-note">
              No three-way comparison with the flat route: {s.threeRoutesNote}
            </p>
          )}
          <div className="buttons">
            <button
              type="button"
              className="primary"
              disabled={s.labelling}
              onClick={() => input.current?.click()}
            >
              Choose images to label…
            </button>
            <input
              ref={input}
              type="file"
              accept="image/*"
              multiple
              hidden
              data-testid="label-input"
              onChange={(e) => {
                const files = [...(e.target.files ?? [])];
                e.target.value = '';
                void s.labelImages(files);
              }}
            />
            {s.labelling && <span aria-live="polite">Labelling…</span>}
          </div>
          <ul className="labelled" data-testid="labelled">
            {s.labelled.map((x, i) => (
              <li key={`${x.name}-${i}`} data-complete={x.result?.complete ?? false}>
                {x.pixels && <PixelImage pixels={x.pixels} alt={x.name} />}
                <div>
                  <strong className="label-name">{x.name}</strong>
                  {x.problem && <p className="error-text">Not an image the lab can read: {x.problem}</p>}
                  {x.result && (
                    <>
                      <p className="label-path" data-testid="label-path">
                        {x.result.path.join(' / ')}
                      </p>
                      {x.route && (
                        <p className="hint" data-testid="label-route" data-route={x.route}>
                          Labelled by {ROUTE_WORDS[x.route]}
                        </p>
                      )}
                      <ol className="levels">
                        {x.result.levels.map((l) => (
                          <li key={l.taskId} data-task={l.taskName}>
                            {l.label.at(-1)}{' '}
                            <span className="hint">
                              ({l.taskName}, {formatPercent(l.confidence)})
                            </span>
                          </li>
                        ))}
                      </ol>
                      {x.result.missing && <p className="warning">Stopped here: {x.result.missing}.</p>}
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
