import type { Me, Permission } from '@canteen/server/api';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { authApi } from '../api/auth.ts';

/** Who is signed in, shared by every page of an app. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null);
  const checked = ref(false);

  const signedIn = computed(() => me.value !== null);
  const can = (permission: Permission): boolean => me.value?.permissions.includes(permission) ?? false;

  /**
   * Asks the server once whether the cookie still holds a session. The session probe answers 200
   * either way: being signed out is the normal state of a sign-in page, not an error in the console.
   */
  async function restore(): Promise<Me | null> {
    if (checked.value) return me.value;
    me.value = (await authApi.session()).me;
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
