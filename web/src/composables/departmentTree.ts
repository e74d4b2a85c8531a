import type { Department } from '@canteen/server/api';

export interface DepartmentNode extends Department {
  children: DepartmentNode[];
}

/** Builds the tree from the server's flat list (parentId), ordered by sortOrder then code. */
export function buildDepartmentTree(departments: readonly Department[]): DepartmentNode[] {
  const nodes = new Map<number, DepartmentNode>();
  for (const d of departments) nodes.set(d.id, { ...d, children: [] });
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const order = (list: DepartmentNode[]) => {
    list.sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
    for (const n of list) order(n.children);
  };
  order(roots);
  return roots;
}

/** The department and everything below it: a department cannot move under any of these. */
export function subtreeIds(departments: readonly Department[], rootId: number): Set<number> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of departments) {
      if (d.parentId !== null && ids.has(d.parentId) && !ids.has(d.id)) {
        ids.add(d.id);
        grew = true;
      }
    }
  }
  return ids;
}
