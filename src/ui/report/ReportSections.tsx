import type { ReportPicture, ReportTable } from '../../core/report/model';
import type { Examples } from '../train/CellExamples';
import { ConfusionPanel } from '../train/ConfusionPanel';

export function Table({ t, testId }: { t: ReportTable; testId?: string }) {
  return (
    <table className="data" data-testid={testId}>
      <thead>
        <tr>
          {t.head.map((h, i) => (
            <th key={i} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {t.rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) =>
              j ? (
                <td key={j}>{c}</td>
              ) : (
                <th key={j} scope="row">
                  {c}
                </th>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What opens behind a thumbnail: the matrix's images per cell, and the run whose model explains them. */
export interface PictureDetail {
  examples?: Examples;
  runId?: string;
}

/** Thumbnails of a section's matrices; the one opened shows as the Train step's full confusion panel. */
export function Thumbnails({
  pictures,
  uris,
  open,
  onOpen,
  detail,
}: {
  pictures: ReportPicture[];
  uris: Readonly<Record<string, string>>;
  open: string | null;
  onOpen: (id: string | null) => void;
  detail: (id: string) => PictureDetail;
}) {
  if (!pictures.length) return null;
  const shown = pictures.find((p) => p.id === open);
  return (
    <>
      <div className="report-thumbs">
        {pictures.map((p) => (
          <button
            key={p.id}
            type="button"
            className="thumb"
            aria-pressed={p.id === open}
            aria-label={`${p.title}: open the full matrix and its images`}
            onClick={() => onOpen(p.id === open ? null : p.id)}
          >
            <img src={uris[p.id]} alt={p.title} data-picture={p.id} />
          </button>
        ))}
      </div>
      {shown && (
        <ConfusionPanel
          testId="report-matrix"
          title={shown.title}
          matrix={shown.matrix}
          classes={shown.classes}
          fileName={shown.title}
          {...detail(shown.id)}
        />
      )}
    </>
  );
}
