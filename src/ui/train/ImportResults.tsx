import { useRef } from 'react';
import { useLab } from '../../state/store';

/** "Import results": a cluster's results.zip, its runs kept beside the lab's own (or a reason, and nothing kept). */
export function ImportResults() {
  const s = useLab();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" disabled={s.clusterBusy} onClick={() => input.current?.click()}>
        {s.clusterBusy ? 'Importing results…' : 'Import results'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip,application/zip"
        hidden
        data-testid="import-results"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void s.importResults(f);
        }}
      />
      {s.clusterProgress && (
        <p className="hint" role="status" data-testid="cluster-progress">
          {s.clusterProgress}
        </p>
      )}
      {s.clusterNotice && (
        <p className="hint" role="status" data-testid="cluster-notice">
          {s.clusterNotice}
        </p>
      )}
      {s.clusterError && (
        <p className="error" role="alert" data-testid="cluster-error">
          {s.clusterError}
        </p>
      )}
    </>
  );
}
