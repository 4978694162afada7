import * as tfvis from '@tensorflow/tfjs-vis';
import type { EpochResult } from '../../core/runs';
import type { LivePoint } from '../../state/store';
import { useVisChart } from './useVis';

const size = (el: HTMLElement) => ({ width: Math.max(280, el.clientWidth - 20), height: 220 });

/** Training loss and accuracy per batch, as the run trains. */
export function BatchCurves({ points }: { points: LivePoint[] }) {
  const ref = useVisChart(
    (el) =>
      // An empty chart is a frame with a 0.000000 axis (and Vega warns of an infinite extent): wait for a point.
      points.length > 0 &&
      tfvis.render.linechart(
        el,
        {
          values: [
            points.map((p) => ({ x: p.step, y: p.loss })),
            points.map((p) => ({ x: p.step, y: p.accuracy })),
          ],
          series: ['loss', 'accuracy'],
        },
        {
          xLabel: 'Batch (thinned out in long runs)',
          // A continuous axis over few points gets fractional ticks (0.5; 0.000000 for one point). Vega-Lite
          // aims at one tick per 40 px, so past a point per 20 px the step is 2 or more, whole; before that the
          // points are ordinal, a tick each.
          xType: points.length <= Math.ceil(size(el).width / 20) ? 'ordinal' : 'quantitative',
          yLabel: 'Training batch',
          ...size(el),
          fontSize: 11,
        },
      ),
    [points],
  );
  // The hint stays outside the chart's div, whose children vega owns.
  return (
    <>
      {points.length === 0 && <p className="hint">The first batch is training…</p>}
      <div ref={ref} className="chart" data-testid="batch-curves" data-points={points.length} />
    </>
  );
}

/** Loss and accuracy per epoch, training against validation. Epochs are ordinal: whole-number ticks, even for one. */
export function EpochCurves({ epochs }: { epochs: EpochResult[] }) {
  const series = (pick: (e: EpochResult) => number) => epochs.map((e) => ({ x: e.epoch + 1, y: pick(e) }));
  const loss = useVisChart(
    (el) =>
      tfvis.render.linechart(
        el,
        { values: [series((e) => e.loss), series((e) => e.valLoss)], series: ['train', 'validation'] },
        { xLabel: 'Epoch (from 0)', xType: 'ordinal', yLabel: 'Loss', ...size(el), fontSize: 11 },
      ),
    [epochs],
    0,
  );
  const acc = useVisChart(
    (el) =>
      tfvis.render.linechart(
        el,
        {
          values: [series((e) => e.accuracy), series((e) => e.valAccuracy)],
          series: ['train', 'validation'],
        },
        {
          xLabel: 'Epoch (from 0)',
          xType: 'ordinal',
          yLabel: 'Accuracy',
          ...size(el),
          fontSize: 11,
          yAxisDomain: [0, 1],
        },
      ),
    [epochs],
    0,
  );
  return (
    <div className="curves" data-testid="epoch-curves" data-epochs={epochs.length}>
      <div ref={loss} className="chart" aria-label="Loss per epoch, training and validation" role="img" />
      <div ref={acc} className="chart" aria-label="Accuracy per epoch, training and validation" role="img" />
    </div>
  );
}
