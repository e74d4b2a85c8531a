import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { testConfig, type Config } from '../config.ts';
import { openDatabase, type Database } from '../db/index.ts';
import type { App } from './http.ts';

const dist = mkdtempSync(path.join(tmpdir(), 'canteen-headers-'));
for (const page of ['admin', 'm']) {
  mkdirSync(path.join(dist, page), { recursive: true });
  writeFileSync(path.join(dist, page, 'index.html'), `<title>${page}</title>`);
}
mkdirSync(path.join(dist, 'assets'), { recursive: true });
afterAll(() => rmSync(dist, { recursive: true, force: true }));

/** The CSP as a map of directive → sources. */
function csp(header: unknown): Map<string, string[]> {
  expect(typeof header).toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name ?? '', sources]),
  );
}

const ANSWERS = [
  ['an API answer', '/api/auth/options'],
  ['a refusal', '/api/auth/me'],
  ['an unknown path', '/api/no-such-thing'],
  ['a health check', '/healthz'],
  ['the console page', '/admin/people'],
  ['the staff app page', '/m/'],
  ['the API docs', '/api/docs/json'],
];

describe('security headers', () => {
  // One database for the apps of every setting tried here: headers never touch it, and opening one
  // takes seconds.
  let database: Database | undefined;
  const apps: App[] = [];
  beforeAll(async () => {
    database = await openDatabase({ dataDir: ':memory:' });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await database?.close();
  });
  const withApp = async (overrides: Partial<Config>, use: (app: App) => Promise<void>): Promise<void> => {
    if (!database) throw new Error('the database is not open');
    const { app } = await buildApp({ config: testConfig({ webDist: dist, ...overrides }), database, logger: false });
    apps.push(app);
    await use(app);
  };
  const defaults = (use: (app: App) => Promise<void>): Promise<void> => withApp({}, use);

  it.each(ANSWERS)('sends a strict policy with %s', async (_what, url) => {
    await defaults(async (app) => {
      const res = await app.inject(url);
      const policy = csp(res.headers['content-security-policy']);
      expect(policy.get('script-src')).toEqual(["'self'"]);
      expect(policy.get('script-src-attr')).toEqual(["'none'"]);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      expect(policy.get('default-src')).toEqual(["'self'"]);
      // Only the API docs page (Swagger UI) needs inline styles.
      expect(policy.get('style-src')).toEqual(url.startsWith('/api/docs') ? ["'self'", "'unsafe-inline'"] : ["'self'"]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      // Plain HTTP (COOKIE_SECURE=false): no HSTS, and no upgrade of asset requests to HTTPS.
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(policy.has('upgrade-insecure-requests')).toBe(false);
    });
  });

  it('lets nobody else frame the console, and the configured WeCom origins frame the staff app', async () => {
    await defaults(async (app) => {
      const admin = await app.inject('/admin/people');
      expect(csp(admin.headers['content-security-policy']).get('frame-ancestors')).toEqual(["'self'"]);
      expect(admin.headers['x-frame-options']).toBe('SAMEORIGIN');

      const staff = await app.inject('/m/statement');
      expect(staff.statusCode).toBe(200);
      expect(csp(staff.headers['content-security-policy']).get('frame-ancestors')).toEqual([
        "'self'",
        'https://*.work.weixin.qq.com',
      ]);
      // X-Frame-Options cannot name WeCom: it would forbid what frame-ancestors allows.
      expect(staff.headers['x-frame-options']).toBeUndefined();
    });
  });

  it('keeps the staff app to its own origin when no embedding origin is configured', async () => {
    await withApp({ frameAncestors: [] }, async (app) => {
      const staff = await app.inject('/m/');
      expect(csp(staff.headers['content-security-policy']).get('frame-ancestors')).toEqual(["'self'"]);
      expect(staff.headers['x-frame-options']).toBe('SAMEORIGIN');
    });
  });

  it('sends HSTS and upgrades insecure requests only behind HTTPS (COOKIE_SECURE)', async () => {
    await withApp({ cookieSecure: true }, async (app) => {
      for (const url of ['/api/auth/options', '/admin/', '/m/']) {
        const res = await app.inject(url);
        expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}$/);
        expect(csp(res.headers['content-security-policy']).has('upgrade-insecure-requests')).toBe(true);
      }
    });
  });

  it('forbids caching every API answer, refusals included, but not the public API docs', async () => {
    await defaults(async (app) => {
      for (const url of ['/api/auth/options', '/api/auth/me', '/api/me/wallet', '/api/no-such-thing']) {
        expect((await app.inject(url)).headers['cache-control'], url).toBe('no-store');
      }
      expect((await app.inject('/api/docs/json')).headers['cache-control']).not.toBe('no-store');
      // The pages keep their own rule: revalidate, so a new build is picked up.
      expect((await app.inject('/admin/')).headers['cache-control']).toBe('no-cache');
    });
  });
});
