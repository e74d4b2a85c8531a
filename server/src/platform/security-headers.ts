// Security headers on every answer (OWASP ASVS 14.4), set by @fastify/helmet rather than by hand so
// the header syntax and the browser quirks stay the plugin's business. docs/operations.md, "Security".
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { Config } from '../config.ts';
import type { App } from './http.ts';

type HelmetRouteOptions = Omit<FastifyHelmetOptions, 'global'>;

const HALF_A_YEAR_SECONDS = 180 * 24 * 3600;

function contentSecurityPolicy(config: Config, frameAncestors: string[]): HelmetRouteOptions['contentSecurityPolicy'] {
  return {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      // The built pages load only their own hashed modules: no inline script, no eval.
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      // Element Plus and Vant set styles through the CSSOM (element.style), which CSP allows; the built
      // pages carry no inline <style> or style attribute, so no 'unsafe-inline' (e2e/security.test.ts
      // loads every screen and fails on a violation).
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      formAction: ["'self'"],
      frameAncestors,
      // Only behind HTTPS: on a plain-HTTP LAN install it would send every asset request to a port
      // nobody listens on.
      ...(config.cookieSecure ? { upgradeInsecureRequests: [] } : {}),
    },
  };
}

function helmetOptions(config: Config): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: contentSecurityPolicy(config, ["'self'"]),
    xFrameOptions: { action: 'sameorigin' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only where HTTPS is certain; subdomains are left out because a hospital's other hosts may
    // still be plain HTTP.
    strictTransportSecurity: config.cookieSecure ? { maxAge: HALF_A_YEAR_SECONDS, includeSubDomains: false } : false,
  };
}

/**
 * Headers for the staff app's pages (/m): WeCom opens them as a top-level web view, but its desktop
 * client's workbench may embed them, so the configured WeCom origins may frame them. /admin is never
 * framed by anyone else (clickjacking a finance console is the attack this prevents).
 */
export function staffAppHeaders(config: Config): HelmetRouteOptions | undefined {
  if (!config.frameAncestors.length) return undefined;
  return {
    ...helmetOptions(config),
    contentSecurityPolicy: contentSecurityPolicy(config, ["'self'", ...config.frameAncestors]),
    // X-Frame-Options cannot name other origins; CSP frame-ancestors, which browsers prefer, does.
    xFrameOptions: false,
  };
}

/**
 * The API docs page (Swagger UI) writes inline styles from its script. It shows public documentation
 * only, so it alone may: swagger-ui's `transformStaticCSP` hands it this page's policy to widen.
 */
export const apiDocsPolicy = (policy: string): string =>
  policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

/** The API docs and their JSON are public; everything else under /api is about a person or money. */
const isPrivateApi = (url: string): boolean => url.startsWith('/api/') && !url.startsWith('/api/docs');

export async function installSecurityHeaders(app: App, config: Config): Promise<void> {
  await app.register(fastifyHelmet, helmetOptions(config));
  // No browser, proxy or back-forward cache keeps a balance, a statement or a person's details.
  app.addHook('onSend', async (request, reply) => {
    if (isPrivateApi(request.url)) reply.header('cache-control', 'no-store');
  });
}
