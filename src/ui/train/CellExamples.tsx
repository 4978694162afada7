import { formatPercent } from '../../core/format';
import { useOpenDataset } from '../../state/store';
import { PixelImage } from '../PixelImage';

export interface Examples {
  items: number[];
  truth: number[];
  predictions: number[];
  confidence: number[];
}

/** The images of one confusion-matrix cell with the model's confidence, worst first. */
export function CellExamples({
  examples,
  row,
  col,
  classes,
}: {
  examples: Examples;
  row: number;
  col: number;
  classes: string[];
}) {
  const images = useOpenDataset()?.images;
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
        {picked.slice(0, 60).map((x) => (
          <div key={x.item} className="thumb-cell">
            {images && (
              <PixelImage
                pixels={images.image(x.item % images.count)}
                alt={
                  x.item >= images.count ? `image ${x.item - images.count}, mirrored copy` : `image ${x.item}`
                }
              />
            )}
            <span>{formatPercent(x.confidence)}</span>
          </div>
        ))}
      </div>
    </figure>
  );
}
