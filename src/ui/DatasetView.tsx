import { formatCount, formatDuration, formatPercent } from '../core/format';
import { labelText } from '../core/labels';
import { SPLIT_NAMES } from '../core/split';
import { flattenTree } from '../core/tree';
import { useLab, type DatasetView as View } from '../state/store';
import { ClassBalanceChart } from './ClassBalanceChart';
import { PixelImage } from './PixelImage';
import { SkippedTable } from './SkippedTable';
import { fileSafe, saveBlob } from './download';

export function DatasetView({ view, onTrain }: { view: View; onTrain: () => void }) {
  const closeDataset = useLab((s) => s.closeDataset);
  const training = useLab((s) => s.training);
  const exportNpz = useLab((s) => s.exportNpz);
  const showError = useLab((s) => s.showError);
  const classCounts = view.classes.map((_, i) => findLeafTotal(view, i));
  const severe = view.duplicates.filter((d) => d.severe);
  return (
    <section className="dataset" aria-labelledby="dataset-title">
      <header className="dataset-head">
        <h2 id="dataset-title">{view.name}</h2>
        <p
          data-testid="dataset-summary"
          data-total-ms={Math.round(view.timings.totalMs)}
          data-decode-ms={Math.round(view.timings.decodeMs)}
          data-worker-busy-ms={Math.round(view.timings.workerBusyMs)}
          data-workers={view.timings.workers}
        >
          {formatCount(view.images)} images in {view.classes.length} classes ·{' '}
          {view.fromCache ? (
            <span data-testid="from-cache">
              opened from this device's cache in {formatDuration(view.seconds)}
            </span>
          ) : view.resumed ? (
            <span data-testid="resumed">
              import resumed: {formatCount(view.resumed)} images were already stored, the rest took{' '}
              {formatDuration(view.seconds)}
            </span>
          ) : (
            <span>imported in {formatDuration(view.seconds)}</span>
          )}{' '}
          · {formatCount(view.skipped.length)} files skipped
        </p>
        <button type="button" className="primary" onClick={onTrain}>
          Train models on it
        </button>
        <button
          type="button"
          onClick={() =>
            void exportNpz()
              .then((b) => saveBlob(b, `${fileSafe(view.name)}-npz.zip`))
              .catch((e: Error) => showError(e.message))
          }
        >
          Download as NPZ
        </button>
        <button type="button" disabled={training} onClick={closeDataset}>
          Import another folder
        </button>
      </header>

      <dl className="split-sizes" data-testid="split-sizes">
        {SPLIT_NAMES.map((name, i) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd data-split={name}>{formatCount(view.splitSizes[i]!)}</dd>
          </div>
        ))}
      </dl>

      {severe.length > 0 && (
        <div className="warning" role="alert">
          <strong>
            {severe.length} duplicate image{severe.length > 1 ? 's' : ''} cross labels or splits.
          </strong>{' '}
          A copy in both training and test makes the test score look better than it is.
          <ul>
            {severe.slice(0, 20).map((d) => (
              <li key={d.text}>{d.text}</li>
            ))}
          </ul>
        </div>
      )}

      <div className="two-col">
        <section aria-labelledby="tree-title">
          <h3 id="tree-title">Labels</h3>
          <table className="data" data-testid="label-tree">
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Images</th>
                <th scope="col">Train</th>
                <th scope="col">Validation</th>
                <th scope="col">Test</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {flattenTree(view.tree).map(({ node, depth }) => (
                <tr
                  key={node.path.join('/')}
                  data-label={labelText(node.path)}
                  className={node.classIndex !== undefined ? 'leaf' : 'inner'}
                >
                  <th scope="row" style={{ paddingLeft: `${0.5 + depth * 1.25}rem` }}>
                    {node.name}
                  </th>
                  <td className="num" data-col="total">
                    {formatCount(node.total)}
                  </td>
                  <td className="num">{formatCount(node.splits[0])}</td>
                  <td className="num">{formatCount(node.splits[1])}</td>
                  <td className="num">{formatCount(node.splits[2])}</td>
                  <td className="num">{formatPercent(node.total / Math.max(1, view.images))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="balance-title">
          <h3 id="balance-title">Class balance</h3>
          <ClassBalanceChart classes={view.classes} counts={classCounts} />
        </section>
      </div>

      <section aria-labelledby="thumbs-title">
        <h3 id="thumbs-title">Examples per class (as the model sees them, 90×120)</h3>
        <div className="thumb-grid">
          {view.thumbnails.map((t) => (
            <figure key={t.classIndex} className="thumb-class">
              <figcaption>{labelText(view.classes[t.classIndex]!)}</figcaption>
              <div>
                {t.images.map((px, k) => (
                  <PixelImage
                    key={k}
                    pixels={px}
                    alt={`${labelText(view.classes[t.classIndex]!)} example ${k + 1}`}
                  />
                ))}
              </div>
            </figure>
          ))}
        </div>
      </section>

      <SkippedTable skipped={view.skipped} emptyFolders={view.emptyFolders} />

      {view.duplicates.length > severe.length && (
        <details>
          <summary>
            {view.duplicates.length - severe.length} harmless duplicates (same label, same split)
          </summary>
          <ul>
            {view.duplicates
              .filter((d) => !d.severe)
              .slice(0, 50)
              .map((d) => (
                <li key={d.text}>{d.text}</li>
              ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function findLeafTotal(view: View, classIndex: number): number {
  let node = view.tree;
  for (const part of view.classes[classIndex]!) node = node.children.find((c) => c.name === part) ?? node;
  return node.total;
}
