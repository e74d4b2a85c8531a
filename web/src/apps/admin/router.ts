import type { Permission } from '@canteen/server/api';
import type { Pinia } from 'pinia';
import { createRouter, createWebHistory } from 'vue-router';
import { useSessionStore } from '../../stores/session.ts';
import AdminLayout from './layout/AdminLayout.vue';
import { menuFor } from './menu.ts';
import LoginPage from './pages/LoginPage.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** The permission a page needs; the menu hides what the person cannot open. */
    permission?: Permission;
    public?: boolean;
  }
}

export function createAdminRouter(pinia: Pinia) {
  const router = createRouter({
    history: createWebHistory('/admin/'),
    routes: [
      { path: '/login', name: 'login', component: LoginPage, meta: { public: true } },
      {
        path: '/',
        component: AdminLayout,
        children: [
          { path: '', name: 'home', component: () => import('./pages/NoAccessPage.vue') },
          {
            path: 'campuses',
            name: 'campuses',
            component: () => import('./pages/CampusesPage.vue'),
            meta: { permission: 'org.read' },
          },
          {
            path: 'departments',
            name: 'departments',
            component: () => import('./pages/DepartmentsPage.vue'),
            meta: { permission: 'org.read' },
          },
          {
            path: 'people',
            name: 'people',
            component: () => import('./pages/PeoplePage.vue'),
            meta: { permission: 'people.read' },
          },
          {
            path: 'people/import',
            name: 'people-import',
            component: () => import('./pages/PeopleImportPage.vue'),
            meta: { permission: 'people.write' },
          },
          {
            path: 'people/:id(\\d+)',
            name: 'person',
            component: () => import('./pages/PersonDetailPage.vue'),
            props: (route) => ({ id: Number(route.params['id']) }),
            meta: { permission: 'people.read' },
          },
          {
            path: 'people/:id(\\d+)/account',
            name: 'person-account',
            component: () => import('./pages/PersonAccountPage.vue'),
            props: (route) => ({ id: Number(route.params['id']) }),
            meta: { permission: 'accounts.read' },
          },
          {
            path: 'cash-top-up',
            name: 'cash-top-up',
            component: () => import('./pages/CashTopUpPage.vue'),
            meta: { permission: 'topup.cash' },
          },
          {
            path: 'subsidies',
            name: 'subsidies',
            component: () => import('./pages/SubsidyImportPage.vue'),
            meta: { permission: 'subsidy.manage' },
          },
          {
            path: 'withdrawals',
            name: 'withdrawals',
            component: () => import('./pages/WithdrawalsPage.vue'),
            meta: { permission: 'withdrawal.approve' },
          },
          {
            path: 'journal',
            name: 'journal',
            component: () => import('./pages/JournalPage.vue'),
            meta: { permission: 'ledger.read' },
          },
          {
            path: 'jobs',
            name: 'jobs',
            component: () => import('./pages/JobsPage.vue'),
            meta: { permission: 'jobs.read' },
          },
          {
            path: 'ledger-settings',
            name: 'ledger-settings',
            component: () => import('./pages/LedgerSettingsPage.vue'),
            meta: { permission: 'ledger.settings' },
          },
          {
            path: 'api-tokens',
            name: 'api-tokens',
            component: () => import('./pages/ApiTokensPage.vue'),
            meta: { permission: 'api_tokens.manage' },
          },
          {
            path: 'roles',
            name: 'roles',
            component: () => import('./pages/RolesPage.vue'),
            meta: { permission: 'people.read' },
          },
        ],
      },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  });

  router.beforeEach(async (to) => {
    const session = useSessionStore(pinia);
    await session.restore();
    if (to.meta.public) return session.signedIn && to.name === 'login' ? { name: 'home' } : true;
    if (!session.signedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
    if (to.name === 'home') {
      const first = menuFor(session.can)[0];
      return first ? { name: first.route } : true;
    }
    if (to.meta.permission && !session.can(to.meta.permission)) return { name: 'home' };
    return true;
  });

  return router;
}
