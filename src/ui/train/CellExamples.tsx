import { useState } from 'react';
import { formatPercent } from '../../core/format';
import { useOpenDataset } from '../../state/store';
import { PixelImage } from '../PixelImage';
import { SaliencyView } from './SaliencyView';

export interface Examples {
  items: number[];
  truth: number[];
  predictions: number[];
  confidence: number[];
}

/**
 * The images of one confusion-matrix cell with the model's confidence, worst first; with the run's saved model
 * (`runId`), clicking an image shows why the model decided.
 */
export function CellExamples({
  examples,
  row,
  col,
  classes,
  runId,
}: {
  examples: Examples;
  row: number;
  col: number;
  classes: string[];
  runId?: string;
}) {
  const images = useOpenDataset()?.images;
  const [explained, setExplained] = useState<number | null>(null);
  const picked = examples.items
    .map((item, k) => ({
      item,
      confidence: examples.confidence[k]!,
      t: examples.truth[k],
      p: examples.predictions[k],
    }))
    .filter((x) => x.t === row && x.p === col)
    // Right answers: least sure first; wrong ones: most confidently wrong first.
    .sort((a, b) => (row === col ? a.confidence - b.confidence : b.confidence - a.confidence));
  return (
    <figure className="cell-examples" data-testid="cell-examples">
      <figcaption>
        True {classes[row]}, predicted {classes[col]}: {picked.length} image{picked.length === 1 ? '' : 's'},{' '}
        {row === col ? 'least confident first' : 'most confidently wrong first'}
      </figcaption>
      <div className="thumb-grid">
        {picked.slice(0, 60).map((x) => {
          const thumb = images && (
            <PixelImage
              pixels={images.image(x.item % images.count)}
              alt={
                x.item >= images.count ? `image ${x.item - images.count}, mirrored copy` : `image ${x.item}`
              }
            />
          );
          return (
            <div key={x.item} className="thumb-cell">
              {runId && thumb ? (
                <button
                  type="button"
                  className="thumb-button"
                  aria-pressed={explained === x.item}
                  aria-label={`Why the model decided on image ${x.item}`}
                  onClick={() => setExplained(explained === x.item ? null : x.item)}
                >
                  {thumb}
                </button>
              ) : (
                thumb
              )}
              <span>{formatPercent(x.confidence)}</span>
            </div>
          );
        })}
      </div>
      {runId && images && explained !== null && (
        <SaliencyView
          runId={runId}
          item={explained}
          pixels={images.image(explained % images.count)}
          mirrored={explained >= images.count}
          classes={classes}
        />
      )}
    </figure>
  );
}
