import 'vant/lib/index.css';
import './staff.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { onUnauthenticated } from '../../api/client.ts';
import { createAppI18n } from '../../i18n/index.ts';
import { useSessionStore } from '../../stores/session.ts';
import App from './App.vue';
import { createStaffRouter } from './router.ts';

const app = createApp(App);
const pinia = createPinia();
const router = createStaffRouter(pinia);
app.use(pinia).use(createAppI18n()).use(router);

onUnauthenticated(() => {
  useSessionStore(pinia).forget();
  if (router.currentRoute.value.name !== 'login') void router.replace({ name: 'login' });
});

app.mount('#app');
