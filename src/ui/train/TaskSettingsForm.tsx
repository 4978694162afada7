import type { ModelFamily, ModelSpec, TrainSettings } from '../../core/models';
import type { TaskDraft } from '../../core/trainDraft';

const FAMILIES: [ModelFamily, string][] = [
  ['model1', 'Model 1: one conv layer'],
  ['model2', 'Model 2: two conv layers'],
  ['model3', 'Model 3: two conv layers + dense'],
  ['dropout', 'Dropout variant: model 3 + dropout'],
];

function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  step = 1,
  disabled,
}: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  min: number;
  max: number;
  step?: number;
  disabled?: boolean;
}) {
  return (
    <label>
      {label}
      <input
        type="number"
        value={value}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(v)) onChange(Math.min(max, Math.max(min, v)));
        }}
      />
    </label>
  );
}

/** Every setting of a run, editable; the study's values are the defaults. */
export function TaskSettingsForm({
  draft,
  onChange,
  disabled,
}: {
  draft: TaskDraft;
  onChange: (d: TaskDraft) => void;
  disabled: boolean;
}) {
  const spec = (patch: Partial<ModelSpec>) => onChange({ ...draft, spec: { ...draft.spec, ...patch } });
  const settings = (patch: Partial<TrainSettings>) =>
    onChange({ ...draft, settings: { ...draft.settings, ...patch } });
  const { family } = draft.spec;
  return (
    <fieldset className="settings" disabled={disabled} data-testid="task-settings">
      <legend>Model and training</legend>
      <label>
        Model
        <select value={family} onChange={(e) => spec({ family: e.target.value as ModelFamily })}>
          {FAMILIES.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      </label>
      <NumberField
        label="Filters"
        value={draft.spec.filters}
        min={1}
        max={512}
        onChange={(filters) => spec({ filters })}
      />
      <NumberField
        label="First kernel"
        value={draft.spec.kernel1}
        min={1}
        max={15}
        onChange={(kernel1) => spec({ kernel1 })}
      />
      <NumberField
        label="Second kernel"
        value={draft.spec.kernel2}
        min={1}
        max={15}
        disabled={family === 'model1'}
        onChange={(kernel2) => spec({ kernel2 })}
      />
      <NumberField
        label="Dense units"
        value={draft.spec.dense}
        min={1}
        max={4096}
        disabled={family !== 'model3' && family !== 'dropout'}
        onChange={(dense) => spec({ dense })}
      />
      <NumberField
        label="Dropout"
        value={draft.spec.dropout}
        min={0}
        max={0.95}
        step={0.05}
        disabled={family !== 'dropout'}
        onChange={(dropout) => spec({ dropout })}
      />
      <NumberField
        label="Epochs"
        value={draft.settings.epochs}
        min={1}
        max={500}
        onChange={(epochs) => settings({ epochs })}
      />
      <NumberField
        label="Batch size"
        value={draft.settings.batchSize}
        min={1}
        max={1024}
        onChange={(batchSize) => settings({ batchSize })}
      />
      <NumberField
        label="Learning rate"
        value={draft.settings.learningRate}
        min={0.00001}
        max={1}
        step={0.0001}
        onChange={(learningRate) => settings({ learningRate })}
      />
      <NumberField
        label="Early-stopping patience"
        value={draft.settings.patience}
        min={1}
        max={100}
        onChange={(patience) => settings({ patience })}
      />
      <NumberField
        label="Seed"
        value={draft.settings.seed}
        min={0}
        max={2 ** 31 - 1}
        onChange={(seed) => settings({ seed })}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={draft.settings.flip}
          onChange={(e) => settings({ flip: e.target.checked })}
        />
        Horizontal-flip augmentation (mirrored copies added to every split, as the study did)
      </label>
    </fieldset>
  );
}
