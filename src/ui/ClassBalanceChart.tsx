import { useEffect, useRef } from 'react';
import * as tfvis from '@tensorflow/tfjs-vis';
import { shortLabels } from '../core/labels';

/** Images per class, as a tfjs-vis bar chart (the exact counts are in the table beside it). */
export function ClassBalanceChart({ classes, counts }: { classes: string[][]; counts: number[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const names = shortLabels(classes);
    const data = names.map((name, i) => ({ index: name, value: counts[i] ?? 0 }));
    // tfjs-vis types say numeric index, but it draws string categories too.
    void tfvis.render.barchart(ref.current, data as unknown as { index: number; value: number }[], {
      xLabel: 'Class',
      yLabel: 'Images',
      height: 320,
      width: Math.max(300, ref.current.clientWidth - 40),
      fontSize: 11,
    });
  }, [classes, counts]);
  return (
    <div
      ref={ref}
      className="chart"
      data-testid="class-balance"
      role="img"
      aria-label="Bar chart of images per class"
    />
  );
}
