import { useState } from 'react';
import { CLASS_PRESETS, checkClasses, classesFromText } from '../core/npzDataset';
import { useLab } from '../state/store';

/** NPZ files carry label numbers, not names: the person names them (the study's orders are presets). */
export function NpzClassForm() {
  const pending = useLab((s) => s.npzPending);
  const importNpz = useLab((s) => s.importNpz);
  const cancel = useLab((s) => s.cancelNpz);
  const preset = CLASS_PRESETS.find((p) => p.name === pending?.preset);
  const [text, setText] = useState(preset ? preset.classes.map((c) => c.join('/')).join('\n') : '');
  if (!pending) return null;
  const classes = classesFromText(text);
  const problem =
    checkClasses(classes) ??
    (classes.length < pending.classCount
      ? `the labels go up to ${pending.classCount - 1}: name ${pending.classCount} classes`
      : null);
  return (
    <form
      className="npz-form"
      aria-labelledby="npz-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) void importNpz(pending.files, classes);
      }}
    >
      <h3 id="npz-title">Name the classes of {pending.group}</h3>
      <p className="hint">
        The files hold label numbers 0 to {pending.classCount - 1} and no class names (a sidecar JSON such as{' '}
        <code>{'{"classes": ["Shoes/Female/Boots", …]}'}</code> would have named them). One class per line, in
        label order, with <code>/</code> between levels.
      </p>
      <label>
        The study's orders
        <select
          defaultValue={preset?.name ?? ''}
          onChange={(e) => {
            const p = CLASS_PRESETS.find((x) => x.name === e.target.value);
            if (p) setText(p.classes.map((c) => c.join('/')).join('\n'));
          }}
        >
          <option value="">Choose a preset…</option>
          {CLASS_PRESETS.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} ({p.classes.length} classes)
            </option>
          ))}
        </select>
      </label>
      <label>
        Class names
        <textarea
          rows={Math.max(4, pending.classCount + 1)}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {problem && text.trim() && <p className="error-text">{problem}</p>}
      <div className="buttons">
        <button type="submit" className="primary" disabled={!!problem}>
          Import
        </button>
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
