/** The label tree with counts at every node, for the dataset view. */
import { labelKey } from './labels';

export interface LabelNode {
  name: string;
  path: string[];
  /** Images per split [train, validation, test] under this node. */
  splits: [number, number, number];
  total: number;
  children: LabelNode[];
  /** Set on nodes that are classes (leaves). */
  classIndex?: number;
}

export function buildLabelTree(
  classes: readonly string[][],
  labels: readonly number[],
  split: ArrayLike<number>,
): LabelNode {
  const root: LabelNode = { name: '', path: [], splits: [0, 0, 0], total: 0, children: [] };
  const nodes = new Map<string, LabelNode>([['', root]]);
  classes.forEach((label, classIndex) => {
    let parent = root;
    for (let depth = 1; depth <= label.length; depth++) {
      const path = label.slice(0, depth);
      const key = labelKey(path);
      let node = nodes.get(key);
      if (!node) {
        node = { name: path[depth - 1]!, path, splits: [0, 0, 0], total: 0, children: [] };
        nodes.set(key, node);
        parent.children.push(node);
      }
      parent = node;
    }
    parent.classIndex = classIndex;
  });
  const leafOf = classes.map((label) => nodes.get(labelKey(label))!);
  labels.forEach((cls, i) => {
    const s = split[i] as 0 | 1 | 2;
    const leaf = leafOf[cls]!;
    for (let depth = 0; depth <= leaf.path.length; depth++) {
      const node = nodes.get(labelKey(leaf.path.slice(0, depth)))!;
      node.splits[s]++;
      node.total++;
    }
  });
  return root;
}

/** Depth-first rows (node, depth) for a table. */
export function flattenTree(root: LabelNode): { node: LabelNode; depth: number }[] {
  const rows: { node: LabelNode; depth: number }[] = [];
  const walk = (n: LabelNode, depth: number) => {
    rows.push({ node: n, depth });
    n.children.forEach((c) => walk(c, depth + 1));
  };
  root.children.forEach((c) => walk(c, 0));
  return rows;
}
