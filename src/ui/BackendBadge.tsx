import { useEffect } from 'react';
import { useLab } from '../state/store';

/** The training backend in the header from the first second, with the reason on hover and for screen readers. */
export function BackendBadge() {
  const backend = useLab((s) => s.backend);
  const error = useLab((s) => s.backendError);
  const detect = useLab((s) => s.detectBackend);
  const override = useLab((s) => s.backendOverride);
  useEffect(() => void detect(), [detect]);
  const status = useLab((s) => s.backendStatus);
  if (error) return <span className="badge warn">{error}</span>;
  if (status)
    return (
      <span className="badge" data-testid="backend-status" role="status">
        {status}
      </span>
    );
  if (!backend) return <span className="badge">Checking this browser's GPU…</span>;
  if (override !== 'auto' && override !== backend.backend)
    return (
      <span className="badge" data-testid="backend-badge" data-backend={override} title={backend.reason}>
        Training backend: {override.toUpperCase()}
        <span className="badge-reason">
          : your choice (the lab would pick {backend.label}: {backend.reason})
        </span>
      </span>
    );
  return (
    <span className="badge" data-testid="backend-badge" data-backend={backend.backend} title={backend.reason}>
      Training backend: {backend.label}
      <span className="badge-reason">: {backend.reason}</span>
    </span>
  );
}
