import type { Department } from '@canteen/server/api';
import { computed } from 'vue';
import { orgApi } from '../api/org.ts';
import { buildDepartmentTree } from './departmentTree.ts';
import { useResource } from './useResource.ts';

/** The departments of one campus (or all), flat as the server sends them and as a tree. */
export function useDepartments() {
  const {
    data: departments,
    loading,
    error,
    load,
  } = useResource<Department[], [campusId?: number]>((_signal, campusId) => orgApi.departments(campusId), []);
  const tree = computed(() => buildDepartmentTree(departments.value));
  return { departments, tree, loading, error, load };
}
