import type { SkippedFile } from '../core/labels';

export function SkippedTable({
  skipped,
  emptyFolders = [],
}: {
  skipped: SkippedFile[];
  emptyFolders?: string[];
}) {
  if (skipped.length === 0 && emptyFolders.length === 0) {
    return <p data-testid="skipped-none">No files were skipped.</p>;
  }
  return (
    <section aria-labelledby="skipped-title">
      <h3 id="skipped-title">Skipped files ({skipped.length})</h3>
      <p>These were left out of the dataset; nothing else was lost.</p>
      <table className="data" data-testid="skipped">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {skipped.map((s) => (
            <tr key={s.path}>
              <td className="path">{s.path}</td>
              <td>{s.reason}</td>
            </tr>
          ))}
          {emptyFolders.map((f) => (
            <tr key={`dir:${f}`}>
              <td className="path">{f}/</td>
              <td>empty folder</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
