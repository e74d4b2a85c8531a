import type { Me, Permission } from '@canteen/server/api';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { authApi } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';

/** Who is signed in, shared by every page of an app. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null);
  const checked = ref(false);

  const signedIn = computed(() => me.value !== null);
  const can = (permission: Permission): boolean => me.value?.permissions.includes(permission) ?? false;

  /** Asks the server once whether the cookie still holds a session. */
  async function restore(): Promise<Me | null> {
    if (checked.value) return me.value;
    try {
      me.value = await authApi.me();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      me.value = null;
    }
    checked.value = true;
    return me.value;
  }

  async function signIn(username: string, password: string): Promise<Me> {
    me.value = await authApi.login(username, password);
    checked.value = true;
    return me.value;
  }

  async function signInForDevelopment(employeeNo: string): Promise<Me> {
    me.value = await authApi.devLogin(employeeNo);
    checked.value = true;
    return me.value;
  }

  async function signOut(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      forget();
    }
  }

  /** The server said the session is gone (401 on any request). */
  function forget(): void {
    me.value = null;
    checked.value = true;
  }

  return { me, signedIn, can, restore, signIn, signInForDevelopment, signOut, forget };
});
