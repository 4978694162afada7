import { useState } from 'react';
import type { Grid } from '../../core/models';
import type { Task } from '../../core/tasks';
import { gridSize, parseValues, type TaskDraft } from '../../core/trainDraft';
import { ImportResults } from './ImportResults';
import { RunElsewhere } from './RunElsewhere';

const KEYS: [keyof Grid, string][] = [
  ['kernel1', 'First kernel'],
  ['filters', 'Filters'],
  ['kernel2', 'Second kernel'],
  ['dense', 'Dense units'],
  ['dropout', 'Dropout'],
];

/** The task's study grid, preloaded and editable: values per hyperparameter, and runs per cell. */
export function GridEditor({
  task,
  draft,
  onChange,
  onPreset,
  disabled,
}: {
  task: Task;
  draft: TaskDraft;
  onChange: (d: TaskDraft) => void;
  onPreset: (index: number) => void;
  disabled: boolean;
}) {
  const [texts, setTexts] = useState<Partial<Record<keyof Grid, string>>>({});
  const [invalid, setInvalid] = useState<Partial<Record<keyof Grid, boolean>>>({});
  const textOf = (k: keyof Grid) => texts[k] ?? draft.grid[k]?.join(', ') ?? '';
  const edit = (k: keyof Grid, text: string) => {
    setTexts((t) => ({ ...t, [k]: text }));
    const grid = { ...draft.grid };
    if (!text.trim()) {
      delete grid[k];
      setInvalid((v) => ({ ...v, [k]: false }));
      onChange({ ...draft, grid });
      return;
    }
    const values = parseValues(text, k === 'dropout');
    setInvalid((v) => ({ ...v, [k]: !values }));
    if (values) onChange({ ...draft, grid: { ...grid, [k]: values } });
  };
  const cells = gridSize(draft);
  return (
    <fieldset className="grid-editor" disabled={disabled} data-testid="grid-editor">
      <legend>Hyperparameter grid</legend>
      <label>
        Study grid
        <select
          value={draft.preset}
          onChange={(e) => {
            setTexts({});
            setInvalid({});
            onPreset(Number(e.target.value));
          }}
        >
          {task.presets.map((p, i) => (
            <option key={p.name} value={i}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      {KEYS.map(([k, label]) => (
        <label key={k}>
          {label}
          <input
            type="text"
            inputMode="decimal"
            placeholder={`fixed (${draft.spec[k]})`}
            value={textOf(k)}
            aria-invalid={invalid[k] ? true : undefined}
            onChange={(e) => edit(k, e.target.value)}
          />
        </label>
      ))}
      <label>
        Runs per cell
        <input
          type="number"
          min={1}
          max={50}
          value={draft.repeats}
          onChange={(e) => {
            const v = Math.round(Number(e.target.value));
            if (v >= 1 && v <= 50) onChange({ ...draft, repeats: v });
          }}
        />
      </label>
      <p className="hint" data-testid="grid-size">
        {cells} cell{cells === 1 ? '' : 's'} × {draft.repeats} run{draft.repeats === 1 ? '' : 's'} ={' '}
        {cells * draft.repeats} runs, seeds {draft.settings.seed}–{draft.settings.seed + draft.repeats - 1}.
        Other settings as above. Values are separated by commas.
      </p>
      <div className="buttons elsewhere" data-testid="elsewhere">
        <RunElsewhere taskId={task.id} runs={cells * draft.repeats} />
        <ImportResults />
      </div>
      <p className="hint">
        Too many runs for this tab? Run elsewhere… downloads the grid as a job for PyTorch on a Dask cluster
        (docs/cluster.md); Import results brings its results.zip back beside the lab&apos;s own runs.
      </p>
    </fieldset>
  );
}
