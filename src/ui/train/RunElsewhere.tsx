import { useState } from 'react';
import { useLab } from '../../state/store';
import { saveBlob } from '../download';

/** "Run elsewhere…": the task's current grid as a job folder (one zip) for cluster/run_job.py (docs/cluster.md). */
export function RunElsewhere({ taskId, runs }: { taskId: string; runs: number }) {
  const runElsewhere = useLab((s) => s.runElsewhere);
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      title={`Download the ${runs} runs as a job for a machine or cluster with PyTorch and Dask`}
      onClick={() => {
        setBusy(true);
        void runElsewhere(taskId)
          .then((out) => out && saveBlob(out.blob, out.name))
          .finally(() => setBusy(false));
      }}
    >
      Run elsewhere…
    </button>
  );
}
