import type { Department } from '@canteen/server/api';
import { computed, ref } from 'vue';
import { orgApi } from '../api/org.ts';
import { buildDepartmentTree } from './departmentTree.ts';
import { useErrorText } from './useErrorText.ts';

/** The departments of one campus (or all), flat as the server sends them and as a tree. */
export function useDepartments() {
  const { errorText } = useErrorText();
  const departments = ref<Department[]>([]);
  const loading = ref(false);
  const error = ref('');
  const tree = computed(() => buildDepartmentTree(departments.value));

  async function load(campusId?: number): Promise<void> {
    loading.value = true;
    error.value = '';
    try {
      departments.value = await orgApi.departments(campusId);
    } catch (failure) {
      error.value = errorText(failure);
    } finally {
      loading.value = false;
    }
  }

  return { departments, tree, loading, error, load };
}
