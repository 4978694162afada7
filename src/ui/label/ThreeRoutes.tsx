import type { AnyRoute } from '../../core/flatRoute';
import { formatPercent } from '../../core/format';
import { pairWords, rankingWords, ROUTE_NAMES } from '../../core/threeRoutes';
import type { ThreeRoutesResult } from '../../state/store';

const ORDER: readonly AnyRoute[] = ['flat', 'hierarchical', 'combined'];

/** The flat model against both pipelines on the whole test split: points, leaf accuracy, errors, McNemar. */
export function ThreeRoutes({ t }: { t: ThreeRoutesResult }) {
  const r = t.routes;
  const rows: [string, (x: AnyRoute) => string][] = [
    ['Points (the study’s scoring over the tree)', (x) => `${r[x].points} of ${r[x].maxPoints}`],
    ['… for the category', (x) => String(r[x].categoryPoints)],
    ['… for the level-2 label', (x) => String(r[x].level2Points)],
    ['… for the type', (x) => String(r[x].typePoints)],
    ['Leaf accuracy', (x) => formatPercent(r[x].leafAccuracy)],
    ['Errors: wrong category', (x) => String(r[x].wrongCategory)],
    ['Errors: right category, wrong leaf', (x) => String(r[x].rightCategoryWrongLeaf)],
  ];
  const heads: Record<AnyRoute, string> = {
    flat: t.flatTask,
    hierarchical: 'Hierarchical (Primary → level 2 → branch)',
    combined: 'Combined (Primary → each category’s model)',
  };
  return (
    <section className="compare" data-testid="three-routes" aria-label="Three routes compared">
      <h4>Three routes over the whole tree, {t.images} test images</h4>
      <table>
        <thead>
          <tr>
            <th scope="col">Route</th>
            {ORDER.map((x) => (
              <th key={x} scope="col">
                {heads[x]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {ORDER.map((x) => (
                <td key={x} className="num" data-route={x}>
                  {value(x)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="three-routes-ranking">{rankingWords(t)}</p>
      <ul data-testid="three-routes-mcnemar">
        {t.pairs.map((p) => (
          <li key={`${p.a}-${p.b}`}>McNemar’s test, {pairWords(p)}</li>
        ))}
      </ul>
      <table data-testid="three-routes-categories">
        <caption>Per category: the study’s points (level 2 and type) and leaf accuracy</caption>
        <thead>
          <tr>
            <th scope="col">Category</th>
            {ORDER.map((x) => (
              <th key={x} scope="col">
                {ROUTE_NAMES[x]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {t.byCategory.map((c) => (
            <tr key={c.category}>
              <th scope="row">
                {c.category} ({c.images})
              </th>
              {ORDER.map((x) => (
                <td key={x} className="num" data-route={x}>
                  {c.routes[x].points} · {formatPercent(c.routes[x].leafAccuracy)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
