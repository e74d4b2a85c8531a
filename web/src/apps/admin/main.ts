import 'element-plus/dist/index.css';
import './admin.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { onUnauthenticated } from '../../api/client.ts';
import { createAppI18n } from '../../i18n/index.ts';
import { useSessionStore } from '../../stores/session.ts';
import App from './App.vue';
import { createAdminRouter } from './router.ts';

const app = createApp(App);
const pinia = createPinia();
const router = createAdminRouter(pinia);
app.use(pinia).use(createAppI18n()).use(router);

// A session that ends while a page is open (expiry, sign-out elsewhere) sends the person to sign in.
onUnauthenticated(() => {
  useSessionStore(pinia).forget();
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.replace({ name: 'login', query: { next: current.fullPath } });
});

app.mount('#app');
