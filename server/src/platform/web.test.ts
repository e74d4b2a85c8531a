import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { testConfig } from '../config.ts';
import { createTestDatabase } from '../../test/harness.ts';

const dist = mkdtempSync(path.join(tmpdir(), 'canteen-web-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

async function appServing(webDist: string) {
  const database = await createTestDatabase('pglite');
  const { app } = await buildApp({ config: testConfig({ webDist }), database, logger: false });
  return {
    app,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

describe('the built web app', () => {
  it('serves each entry page for its deep links, uncached, and hashed assets for a year', async () => {
    mkdirSync(path.join(dist, 'admin'), { recursive: true });
    mkdirSync(path.join(dist, 'm'), { recursive: true });
    mkdirSync(path.join(dist, 'assets'), { recursive: true });
    writeFileSync(path.join(dist, 'admin', 'index.html'), '<title>admin</title>');
    writeFileSync(path.join(dist, 'm', 'index.html'), '<title>staff</title>');
    writeFileSync(path.join(dist, 'assets', 'admin-abc123.js'), 'console.log(1)');
    const { app, close } = await appServing(dist);
    try {
      const deep = await app.inject('/admin/people/12');
      expect(deep.statusCode).toBe(200);
      expect(deep.body).toContain('admin');
      expect(deep.headers['cache-control']).toBe('no-cache');
      expect((await app.inject('/m/statement')).body).toContain('staff');
      expect((await app.inject('/admin')).headers['location']).toBe('/admin/');

      const asset = await app.inject('/assets/admin-abc123.js');
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');

      // A rebuild while the server runs: the new names are served without a restart.
      writeFileSync(path.join(dist, 'assets', 'admin-def456.js'), 'console.log(2)');
      expect((await app.inject('/assets/admin-def456.js')).statusCode).toBe(200);
      const missing = await app.inject('/assets/nope.js');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe('NOT_FOUND');
    } finally {
      await close();
    }
  });

  it('sends phones to the staff app and desks to the console', async () => {
    const { app, close } = await appServing(dist);
    try {
      const phone = await app.inject({ url: '/', headers: { 'user-agent': 'Mozilla/5.0 (iPhone) wxwork/4.1' } });
      expect(phone.headers['location']).toBe('/m/');
      const desk = await app.inject({ url: '/', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' } });
      expect(desk.headers['location']).toBe('/admin/');
    } finally {
      await close();
    }
  });

  it('says how to build it when it is not built', async () => {
    const { app, close } = await appServing(path.join(dist, 'not-there'));
    try {
      const res = await app.inject('/admin/');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'WEB_NOT_BUILT' });
      expect(res.json().detail).toContain('npm run build');
    } finally {
      await close();
    }
  });
});
