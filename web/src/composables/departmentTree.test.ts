import type { Department } from '@canteen/server/api';
import { describe, expect, it } from 'vitest';
import { buildDepartmentTree, subtreeIds } from './departmentTree.ts';

const dept = (id: number, parentId: number | null, code: string, sortOrder = 0): Department => ({
  id,
  campusId: 1,
  parentId,
  code,
  name: code,
  kind: 'clinical',
  building: '',
  floor: '',
  sortOrder,
  wecomId: null,
  peopleCount: 0,
});

// 妇产科 FCK ─┬─ 产一区 CK1 ── 产房 CF
//             └─ 产二区 CK2
// 儿科 EK (sorted first by sortOrder)
const FLAT = [dept(1, null, 'FCK', 2), dept(2, 1, 'CK2'), dept(3, 1, 'CK1'), dept(4, 3, 'CF'), dept(5, null, 'EK', 1)];

describe('the department tree built from the server’s flat list', () => {
  it('nests children under their parents, ordered by sort order then code', () => {
    const tree = buildDepartmentTree(FLAT);
    expect(tree.map((d) => d.code)).toEqual(['EK', 'FCK']);
    const fck = tree[1];
    expect(fck?.children.map((d) => d.code)).toEqual(['CK1', 'CK2']);
    expect(fck?.children[0]?.children.map((d) => d.code)).toEqual(['CF']);
  });

  it('keeps a department whose parent is not in the list at the top, rather than losing it', () => {
    const tree = buildDepartmentTree([dept(7, 99, 'ORPHAN')]);
    expect(tree.map((d) => d.code)).toEqual(['ORPHAN']);
  });

  it.each([
    [1, [1, 2, 3, 4]],
    [3, [3, 4]],
    [4, [4]],
    [5, [5]],
  ])('knows that department %i cannot move under %j (itself and everything below it)', (id, blocked) => {
    expect([...subtreeIds(FLAT, id)].sort()).toEqual(blocked);
  });
});
