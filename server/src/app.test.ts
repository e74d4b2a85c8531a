import { Type } from 'typebox';
import { expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { testConfig } from './config.ts';
import { createTestDatabase, describeApp } from '../test/harness.ts';

describeApp('HTTP behaviour every route shares', (get) => {
  it('reports liveness and readiness', async () => {
    const { app, database } = get();
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: database.kind });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await get().app.inject('/api/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('answers a wrong method with 405 and the allowed methods', async () => {
    const res = await get().app.inject({ method: 'DELETE', url: '/api/auth/me' });
    expect(res.statusCode).toBe(405);
    expect(res.headers['allow']).toBe('GET');
    expect(res.json().code).toBe('METHOD_NOT_ALLOWED');
  });

  it('refuses malformed JSON with a clear code', async () => {
    const res = await get().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "a",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('MALFORMED_JSON');
  });

  it('names every bad field of a body, and refuses wrong types without coercing them', async () => {
    const res = await get().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 42, extra: true },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/body/extra',
      '/body/password',
      '/body/username',
    ]);
  });

  it('refuses a 10 MB body with 413', async () => {
    const res = await get().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x'.repeat(10 * 1024 * 1024), password: 'y' }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('echoes a sane request id and makes one up otherwise', async () => {
    const { app } = get();
    expect(
      (await app.inject({ url: '/healthz', headers: { 'x-request-id': 'till-7.abc' } })).headers['x-request-id'],
    ).toBe('till-7.abc');
    const made = (await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\n' } })).headers[
      'x-request-id'
    ];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes the OpenAPI document generated from the route schemas', async () => {
    const res = await get().app.inject('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/auth/login'].post.requestBody).toBeDefined();
  });
});

it('refuses to start when an API route does not declare who may call it', async () => {
  const database = await createTestDatabase('pglite');
  try {
    const { app } = await buildApp({ config: testConfig(), database, logger: false });
    expect(() =>
      app.get('/api/forgotten', { schema: { response: { 200: Type.Object({}) } } }, async () => ({})),
    ).toThrow(/does not declare config.access/);
    await app.close();
  } finally {
    await database.drop();
  }
});

it('hides the text of an unexpected error behind a stable code', async () => {
  const database = await createTestDatabase('pglite');
  try {
    const { app } = await buildApp({ config: testConfig(), database, logger: false });
    app.get('/api/boom', { config: { access: 'public' }, schema: { operationId: 'explode' } }, async () => {
      throw new Error('password=hunter2 at /srv/secret.ts');
    });
    const res = await app.inject('/api/boom');
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('INTERNAL');
    expect(res.body).not.toContain('hunter2');
    await app.close();
  } finally {
    await database.drop();
  }
});
