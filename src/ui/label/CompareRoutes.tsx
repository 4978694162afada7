import { formatPercent } from '../../core/format';
import type { CategoryComparison } from '../../state/store';
import { ConfusionPanel } from '../train/ConfusionPanel';

/** The study's comparison of one combined model against the hierarchy, for one category, on the test split. */
export function CompareRoutes({ c }: { c: CategoryComparison }) {
  const rows: [string, string, string][] = [
    ['Route', `Combined (${c.combinedTask})`, `Hierarchical (${c.hierarchicalTasks.join(' → ')})`],
    [
      'Points (the study’s scoring, 2 per image)',
      `${c.combined.points} of ${2 * c.images}`,
      `${c.hierarchical.points} of ${2 * c.images}`,
    ],
    ['… for the level-2 label', String(c.combined.level2Points), String(c.hierarchical.level2Points)],
    ['… for the type', String(c.combined.typePoints), String(c.hierarchical.typePoints)],
    [
      'Leaf accuracy (both right)',
      formatPercent(c.combined.leafAccuracy),
      formatPercent(c.hierarchical.leafAccuracy),
    ],
  ];
  return (
    <section
      className="compare"
      data-testid={`compare-${c.category}`}
      aria-label={`Combined against hierarchical: ${c.category}`}
    >
      <h4>
        {c.category}: combined against hierarchical, {c.images} test images
      </h4>
      <table>
        <thead>
          <tr>
            {rows[0]!.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(1).map(([label, a, b]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="num" data-route="combined">
                {a}
              </td>
              <td className="num" data-route="hierarchical">
                {b}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="mcnemar">McNemar’s test on the images only one route got right: {c.mcnemar.words}</p>
      <p data-testid="hier-errors">
        The hierarchy’s {c.hierarchical.wrongBranch + c.hierarchical.rightBranchWrongLeaf} leaf errors:{' '}
        {c.hierarchical.wrongBranch} in the wrong branch (the level-2 model erred),{' '}
        {c.hierarchical.rightBranchWrongLeaf} in the right branch but the wrong leaf.
      </p>
      <div className="matrices">
        <ConfusionPanel
          testId={`compare-${c.category}-combined`}
          title={`${c.category}, combined route (test)`}
          matrix={c.byRoute.combined.confusion}
          classes={c.leaves}
          examples={c.byRoute.combined}
          fileName={`${c.category} combined route test confusion`}
        />
        <ConfusionPanel
          testId={`compare-${c.category}-hierarchical`}
          title={`${c.category}, hierarchical route (test)`}
          matrix={c.byRoute.hierarchical.confusion}
          classes={c.leaves}
          examples={c.byRoute.hierarchical}
          fileName={`${c.category} hierarchical route test confusion`}
        />
      </div>
    </section>
  );
}
