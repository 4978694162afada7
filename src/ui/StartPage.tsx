import { useRef, useState } from 'react';
import { formatBytes, formatCount } from '../core/format';
import { RESIZE_POLICIES, type ResizePolicy } from '../core/image';
import { useLab } from '../state/store';
import { NpzClassForm } from './NpzClassForm';

const TREE_EXAMPLE = `my-photos/
  Glasses & Sunglasses/
    Glasses/      img001.jpg …
    Sunglasses/   …
  Shoes/
    Female/
      High heels/ …`;

export function StartPage() {
  const input = useRef<HTMLInputElement>(null);
  const npz = useRef<HTMLInputElement>(null);
  const {
    resize,
    setResize,
    split,
    setSplit,
    importFileList,
    importPicked,
    importDemo,
    importNpz,
    npzPending,
    demoSizes,
    canPickDirectory,
  } = useLab();
  const [demoSize, setDemoSize] = useState(demoSizes[1]!.perClass);
  const percent = (v: number) => Math.round(v * 100);
  const setPart = (part: 'train' | 'validation' | 'test', value: number) => {
    const next = { ...split, [part]: value / 100 };
    if (part !== 'train') next.train = Math.max(0, 1 - next.validation - next.test);
    setSplit(next);
  };
  const choose = () => (canPickDirectory ? void importPicked() : input.current?.click());
  return (
    <section className="start" aria-labelledby="start-title">
      <h2 id="start-title">Start with a folder of photos</h2>
      {npzPending && <NpzClassForm key={npzPending.group} />}
      <div className="choices">
        <div className="choice dropzone">
          <p>
            <strong>Drop a folder of photos anywhere on this page</strong>
            <br />
            Folder names are the labels, at any depth.
          </p>
          <pre className="tree-example" aria-label="Example folder layout">
            {TREE_EXAMPLE}
          </pre>
          <button type="button" onClick={choose}>
            Choose a folder…
          </button>
          <input
            ref={input}
            data-testid="folder-input"
            type="file"
            aria-label="Choose a folder of photos"
            hidden
            multiple
            {...{ webkitdirectory: '', directory: '' }}
            onChange={(e) => {
              if (e.target.files?.length) void importFileList(Array.from(e.target.files));
              e.target.value = '';
            }}
          />
        </div>
        <div className="choice demo">
          <p>
            <strong>Try the demo catalog</strong>
            <br />
            Synthetic product photos with the study's 17 classes (glasses, trousers and jeans, shoes), drawn
            in your browser.
          </p>
          <label>
            Size{' '}
            <select value={demoSize} onChange={(e) => setDemoSize(Number(e.target.value))}>
              {demoSizes.map((s) => (
                <option key={s.perClass} value={s.perClass}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" onClick={() => void importDemo(demoSize)}>
            Try the demo catalog
          </button>
        </div>
        <div className="choice npz">
          <p>
            <strong>Open the study's NPZ files</strong>
            <br />
            Arrays <code>images</code> (N, 120, 90, 3) and <code>labels</code>; files named “… - Train.npz”,
            “… - Validation.npz”, “… - Test.npz” keep their split. Add a sidecar JSON with the class names, or
            name them here.
          </p>
          <button type="button" onClick={() => npz.current?.click()}>
            Choose NPZ files…
          </button>
          <input
            ref={npz}
            data-testid="npz-input"
            type="file"
            aria-label="Choose NPZ files"
            accept=".npz,.json"
            hidden
            multiple
            onChange={(e) => {
              if (e.target.files?.length) void importNpz(Array.from(e.target.files));
              e.target.value = '';
            }}
          />
        </div>
      </div>
      <fieldset className="options">
        <legend>Import settings</legend>
        <label>
          Images that are not 3:4{' '}
          <select value={resize} onChange={(e) => setResize(e.target.value as ResizePolicy)}>
            {RESIZE_POLICIES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <span className="split-inputs">
          Split:
          <PercentInput
            label="validation"
            value={percent(split.validation)}
            onChange={(v) => setPart('validation', v)}
          />
          <PercentInput label="test" value={percent(split.test)} onChange={(v) => setPart('test', v)} />
          <span>train {percent(split.train)}%</span>
          <label>
            seed{' '}
            <input
              type="number"
              value={split.seed}
              onChange={(e) => setSplit({ ...split, seed: Math.trunc(Number(e.target.value)) })}
            />
          </label>
        </span>
      </fieldset>
      <CachedList />
    </section>
  );
}

function PercentInput({
  label,
  value,
  onChange,
}: {
  label: string;
  value: number;
  onChange: (v: number) => void;
}) {
  return (
    <label>
      {label}{' '}
      <input
        type="number"
        min={0}
        max={45}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
      />
      %
    </label>
  );
}

function CachedList() {
  const { cached, openDataset, deleteCached, training } = useLab();
  if (cached.length === 0) return null;
  return (
    <section aria-labelledby="cached-title">
      <h3 id="cached-title">Datasets cached on this device</h3>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Images</th>
            <th scope="col">Classes</th>
            <th scope="col">Size</th>
            <th scope="col">Imported</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {cached.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td>
              <td className="num">{formatCount(d.images)}</td>
              <td className="num">{d.classes}</td>
              <td className="num">{formatBytes(d.bytes)}</td>
              <td>{new Date(d.createdAt).toLocaleString()}</td>
              <td>
                <button type="button" onClick={() => void openDataset(d.id)}>
                  Open<span className="sr-only"> {d.name}</span>
                </button>{' '}
                <button
                  type="button"
                  className="danger"
                  disabled={training}
                  onClick={() => void deleteCached(d.id)}
                >
                  Delete<span className="sr-only"> {d.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
