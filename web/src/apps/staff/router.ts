import type { Pinia } from 'pinia';
import { createRouter, createWebHistory } from 'vue-router';
import { useSessionStore } from '../../stores/session.ts';
import HomePage from './pages/HomePage.vue';
import SignInPage from './pages/SignInPage.vue';

export function createStaffRouter(pinia: Pinia) {
  const router = createRouter({
    history: createWebHistory('/m/'),
    routes: [
      { path: '/login', name: 'login', component: SignInPage },
      { path: '/', name: 'home', component: HomePage },
      { path: '/statement', name: 'statement', component: () => import('./pages/StatementPage.vue') },
      {
        path: '/statement/:entryId(\\d+)',
        name: 'movement',
        component: () => import('./pages/MovementPage.vue'),
        props: (route) => ({ entryId: Number(route.params['entryId']) }),
      },
      { path: '/cards', name: 'cards', component: () => import('./pages/CardsPage.vue') },
      { path: '/pin', name: 'pin', component: () => import('./pages/PinPage.vue') },
      { path: '/withdraw', name: 'withdraw', component: () => import('./pages/WithdrawPage.vue') },
      { path: '/top-up', name: 'top-up', component: () => import('./pages/TopUpPage.vue') },
      { path: '/transfer', name: 'transfer', component: () => import('./pages/TransferPage.vue') },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  });

  router.beforeEach(async (to) => {
    const session = useSessionStore(pinia);
    await session.restore();
    if (to.name === 'login') return session.signedIn ? { name: 'home' } : true;
    return session.signedIn ? true : { name: 'login' };
  });

  return router;
}
