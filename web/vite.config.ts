import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/** The entry pages of the one build; each is a single-page app under its own path. */
const PAGES = ['admin', 'm'] as const;

/**
 * In development, a deep link such as /admin/people/12 must load that app's page, as the server
 * does in production (server/src/platform/web.ts); Vite's own fallback only knows /index.html.
 */
function pageFallback(): Plugin {
  return {
    name: 'canteen-page-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url ?? '/';
        const page = PAGES.find((p) => url === `/${p}` || url.startsWith(`/${p}/`));
        const isFile = /\.[a-z0-9]+($|\?)/i.test(url.split('?')[0] ?? '');
        if (page && !isFile && req.headers.accept?.includes('text/html')) req.url = `/${page}/index.html`;
        next();
      });
    },
  };
}

/**
 * Vant's icon font names a copy on at.alicdn.com after the embedded one. The embedded font always
 * loads, but the browser still checks the remote address against the server's Content-Security-Policy
 * and logs a violation on every page, and a phone inside the hospital has no business calling a
 * public CDN. The remote copy is dropped from the stylesheet.
 */
function vantIconFontOffline(): Plugin {
  const remoteCopy = /,\s*url\((["']?)(?:https?:)?\/\/at\.alicdn\.com\/[^)]*\)\s*format\((["'])woff\2\)/g;
  return {
    name: 'canteen-vant-icon-font-offline',
    enforce: 'pre',
    transform(code, id) {
      return /[\\/]node_modules[\\/]vant[\\/].*\.css$/.test(id) ? code.replace(remoteCopy, '') : null;
    },
  };
}

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [vue(), pageFallback(), vantIconFontOffline()],
  define: {
    // vue-i18n's bundler build: Composition API only, no devtools hooks in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: Object.fromEntries(PAGES.map((p) => [p, here(`${p}/index.html`)])),
      output: {
        // Libraries change less often than our pages: named chunks of their own stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/ },
            {
              name: 'element-plus',
              test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@popperjs|@vueuse|lodash-es|lodash-unified|dayjs|async-validator|@ctrl|memoize-one|normalize-wheel-es)[\\/]/,
            },
            { name: 'vant', test: /node_modules[\\/](vant|@vant)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000' },
  },
});
