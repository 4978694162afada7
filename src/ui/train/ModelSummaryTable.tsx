import { formatCount } from '../../core/format';
import { summariseModel } from '../../core/modelSummary';
import type { ModelSpec } from '../../core/models';

/** The model's layers, output shapes and parameters, as Keras' summary() prints them. */
export function ModelSummaryTable({ spec, classes }: { spec: ModelSpec; classes: number }) {
  const s = summariseModel(spec, classes);
  return (
    <figure className="model-summary" data-testid="model-summary">
      <table>
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Output shape</th>
            <th scope="col">Parameters</th>
          </tr>
        </thead>
        <tbody>
          {s.layers.map((l) => (
            <tr key={l.name}>
              <td>{l.name}</td>
              <td>({['None', ...l.outputShape].join(', ')})</td>
              <td className="num">{formatCount(l.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <figcaption data-testid="param-count" data-params={s.params}>
        {formatCount(s.params)} parameters · {((s.params * 4) / 1e6).toFixed(1)} MB of float32 weights
      </figcaption>
      {s.problem && (
        <p className="error" role="alert">
          This model cannot be built: {s.problem}.
        </p>
      )}
    </figure>
  );
}
