import { useEffect, useRef } from 'react';

/**
 * Draws a tfjs-vis chart into a div, at most once per `everyMs` while its data keeps changing (vega redraws cost
 * tens of milliseconds; training events arrive ten times a second).
 */
export function useVisChart(draw: (el: HTMLElement) => unknown, deps: unknown[], everyMs = 600) {
  const ref = useRef<HTMLDivElement>(null);
  const last = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(draw);
  useEffect(() => {
    latest.current = draw;
  });
  useEffect(() => {
    const run = () => {
      pending.current = null;
      last.current = performance.now();
      if (ref.current) void latest.current(ref.current);
    };
    const wait = everyMs - (performance.now() - last.current);
    if (wait <= 0) run();
    else if (!pending.current) pending.current = setTimeout(run, wait);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );
  return ref;
}
