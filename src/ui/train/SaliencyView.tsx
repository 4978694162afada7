import { useEffect, useRef, useState } from 'react';
import { EXPLAIN, saliencyCaption } from '../../core/explain';
import { formatPercent } from '../../core/format';
import { heatmapRgba } from '../../core/heatmap';
import { useLab, type Saliency, type SaliencyMethod } from '../../state/store';
import { PixelImage } from '../PixelImage';

const SCALE = 2;

function Overlay({ s }: { s: Saliency }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    // heatmapRgba allocates a plain ArrayBuffer; its declared type allows a shared one.
    if (ctx)
      ctx.putImageData(
        new ImageData(heatmapRgba(s.map) as Uint8ClampedArray<ArrayBuffer>, s.width, s.height),
        0,
        0,
      );
  }, [s]);
  return (
    <canvas
      ref={ref}
      width={s.width}
      height={s.height}
      className="saliency-overlay"
      data-testid="saliency-overlay"
      data-found={s.found}
      style={{ width: s.width * SCALE, height: s.height * SCALE }}
      aria-hidden
    />
  );
}

/** Why the run's model decided on one image: its saliency map over the image and its three likeliest classes. */
export function SaliencyView({
  runId,
  item,
  pixels,
  mirrored,
  classes,
}: {
  runId: string;
  item: number;
  pixels: Uint8Array;
  mirrored: boolean;
  classes: string[];
}) {
  const explainImage = useLab((s) => s.explainImage);
  const [method, setMethod] = useState<SaliencyMethod>('grad-cam');
  const [result, setResult] = useState<{ key: string; s: Saliency } | { key: string; error: string } | null>(
    null,
  );
  const key = `${runId}:${item}:${method}`;
  useEffect(() => {
    let live = true;
    explainImage(runId, item, method)
      .then((s) => live && setResult({ key, s }))
      .catch((e: Error) => live && setResult({ key, error: e.message }));
    return () => {
      live = false;
    };
  }, [explainImage, runId, item, method, key]);
  const shown = result?.key === key ? result : null;
  return (
    <figure className="saliency" data-testid="saliency" data-item={item}>
      <figcaption>
        Why the model decided:{' '}
        <select
          aria-label="Saliency method"
          value={method}
          onChange={(e) => setMethod(e.target.value as SaliencyMethod)}
        >
          <option value="grad-cam">Grad-CAM (last convolution)</option>
          <option value="input-gradient">Input gradients</option>
        </select>
      </figcaption>
      <div className="saliency-body">
        <div className="saliency-frame" style={mirrored ? { transform: 'scaleX(-1)' } : undefined}>
          <PixelImage pixels={pixels} alt={`image ${item}`} scale={SCALE} />
          {shown && 's' in shown && <Overlay s={shown.s} />}
        </div>
        {!shown && <p className="hint">Computing the saliency map…</p>}
        {shown && 'error' in shown && <p className="error-text">{shown.error}</p>}
        {shown && 's' in shown && (
          <div>
            <table className="saliency-top" data-testid="saliency-top">
              <thead>
                <tr>
                  <th scope="col">Class</th>
                  <th scope="col">Probability</th>
                </tr>
              </thead>
              <tbody>
                {shown.s.top.map((t) => (
                  <tr key={t.index} className={t.index === shown.s.classIndex ? 'best' : ''}>
                    <td>{classes[t.index] ?? `output ${t.index}`}</td>
                    <td className="num">{formatPercent(t.probability)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>{saliencyCaption(shown.s, classes)}</p>
          </div>
        )}
      </div>
      <details>
        <summary>What the map shows</summary>
        <p>{EXPLAIN.saliency}</p>
      </details>
    </figure>
  );
}
