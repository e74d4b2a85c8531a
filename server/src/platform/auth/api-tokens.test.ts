// API tokens as an integration and an administrator use them: created in the console, sent as a bearer
// token, limited to their scopes, revoked at once, every call in the audit log.
import { expect, it } from 'vitest';
import { describeApp, type TestApp } from '../../../test/harness.ts';
import { signIn } from '../../../test/factories.ts';
import { ROLES, rolesWith, type Permission } from './permissions.ts';

async function createToken(t: TestApp, cookie: string, scopes: Permission[], extra: Record<string, unknown> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/api-tokens',
    headers: { cookie },
    payload: { name: 'HR sync', scopes, ...extra },
  });
}

async function newToken(t: TestApp, scopes: Permission[]) {
  const { cookie, person } = await signIn(t, ['admin'], { name: '李管理' });
  const res = await createToken(t, cookie, scopes);
  expect(res.statusCode).toBe(201);
  const body = res.json() as { token: { id: number; prefix: string }; secret: string };
  return { ...body, cookie, admin: person, bearer: { authorization: `Bearer ${body.secret}` } };
}

const auditOf = (t: TestApp, tokenId: number) =>
  t.database.db
    .selectFrom('auditLog')
    .select(['action', 'entity', 'entityId', 'actorId', 'apiTokenId', 'after'])
    .where('apiTokenId', '=', tokenId)
    .orderBy('id')
    .execute();

describeApp('API tokens', (get) => {
  it('is created by an administrator, shown once and stored only as a hash', async () => {
    const t = get();
    const { token, secret, cookie, admin } = await newToken(t, ['people.read', 'org.read']);
    expect(secret).toMatch(/^cnt_[A-Za-z0-9_-]{43}$/);
    expect(token.prefix).toBe(secret.slice(0, 12));

    const list = (await t.app.inject({ url: '/api/api-tokens', headers: { cookie } })).json();
    const listed = list.items.find((i: { id: number }) => i.id === token.id);
    expect(listed).toMatchObject({
      name: 'HR sync',
      prefix: token.prefix,
      scopes: ['people.read', 'org.read'],
      createdBy: { personId: admin.id, name: '李管理' },
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(list)).not.toContain(secret);
    expect(list.grantableScopes).not.toContain('topup.cash');
    const row = await t.database.db
      .selectFrom('apiTokens')
      .select('secretHash')
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(row.secretHash).not.toContain(secret.slice(4));
  });

  it('calls a route within its scopes as a bearer token, recording the call and the last use', async () => {
    const t = get();
    const { token, bearer, cookie } = await newToken(t, ['people.read']);
    const res = await t.app.inject({ url: '/api/people', headers: bearer });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBeGreaterThan(0);

    const calls = await auditOf(t, token.id);
    expect(calls).toEqual([
      expect.objectContaining({
        action: 'api_token.call',
        entity: 'api_token',
        entityId: String(token.id),
        actorId: null,
        after: { method: 'GET', route: '/api/people' },
      }),
    ]);
    const listed = (await t.app.inject({ url: '/api/api-tokens', headers: { cookie } })).json();
    expect(listed.items.find((i: { id: number }) => i.id === token.id).lastUsedAt).toBe(t.clock.now().toISOString());
  });

  it('writes the last use at most once a minute, however many calls come', async () => {
    const t = get();
    const { token, bearer } = await newToken(t, ['people.read']);
    const lastUsed = async () =>
      (
        await t.database.db
          .selectFrom('apiTokens')
          .select('lastUsedAt')
          .where('id', '=', token.id)
          .executeTakeFirstOrThrow()
      ).lastUsedAt;
    await t.app.inject({ url: '/api/people', headers: bearer });
    const first = await lastUsed();
    t.clock.advance(59_000);
    await t.app.inject({ url: '/api/people', headers: bearer });
    expect(await lastUsed()).toEqual(first);
    t.clock.advance(1_000);
    await t.app.inject({ url: '/api/people', headers: bearer });
    expect(await lastUsed()).toEqual(t.clock.now());
    expect((await auditOf(t, token.id)).filter((a) => a.action === 'api_token.call')).toHaveLength(3);
  });

  it('is refused (403) on a route outside its scopes, and the refusal is audited', async () => {
    const t = get();
    const { token, bearer } = await newToken(t, ['people.read']);
    const res = await t.app.inject({ url: '/api/audit', headers: bearer });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect(await auditOf(t, token.id)).toEqual([
      expect.objectContaining({ action: 'api_token.refused', after: { method: 'GET', route: '/api/audit' } }),
    ]);
  });

  it.each([
    ['GET', '/api/auth/me'],
    ['GET', '/api/me/wallet'],
    ['GET', '/api/me/profile'],
  ])('is not a person: %s %s answers 403 API_TOKEN_NOT_A_PERSON', async (method, url) => {
    const t = get();
    const { bearer } = await newToken(t, ['people.read', 'accounts.read']);
    const res = await t.app.inject({ method: method as 'GET', url, headers: bearer });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('API_TOKEN_NOT_A_PERSON');
  });

  it('is refused with 401 API_TOKEN_REVOKED once revoked, and cannot be revoked twice', async () => {
    const t = get();
    const { token, bearer, cookie } = await newToken(t, ['people.read']);
    const revoke = () =>
      t.app.inject({ method: 'POST', url: `/api/api-tokens/${token.id}/revoke`, headers: { cookie } });
    const revoked = await revoke();
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toBe(t.clock.now().toISOString());

    const res = await t.app.inject({ url: '/api/people', headers: bearer });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('API_TOKEN_REVOKED');
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect((await revoke()).json().code).toBe('API_TOKEN_ALREADY_REVOKED');
  });

  it('refuses an unknown token (401 API_TOKEN_INVALID) and an expired one (401 API_TOKEN_EXPIRED)', async () => {
    const t = get();
    const unknown = await t.app.inject({ url: '/api/people', headers: { authorization: 'Bearer cnt_nothing' } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe('API_TOKEN_INVALID');

    const { cookie } = await signIn(t, ['admin']);
    const expiresAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    const created = (await createToken(t, cookie, ['people.read'], { expiresAt })).json();
    const bearer = { authorization: `Bearer ${created.secret}` };
    expect((await t.app.inject({ url: '/api/people', headers: bearer })).statusCode).toBe(200);
    t.clock.advance(3_600_000);
    const expired = await t.app.inject({ url: '/api/people', headers: bearer });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('API_TOKEN_EXPIRED');
  });

  it('writes without the cookie CSRF check, and the change names the token in the audit log', async () => {
    const t = get();
    const { token, bearer } = await newToken(t, ['org.write', 'org.read']);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/campuses',
      headers: { ...bearer, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: { code: 'API1', name: '接口院区' },
    });
    expect(res.statusCode).toBe(201);
    const change = (await auditOf(t, token.id)).find((a) => a.entity === 'campus');
    expect(change).toMatchObject({ entityId: String(res.json().id), actorId: null, apiTokenId: token.id });
  });

  it('names the token, not "system", in the history an administrator reads', async () => {
    const t = get();
    const { token, bearer, cookie } = await newToken(t, ['org.write', 'org.read']);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/campuses',
      headers: bearer,
      payload: { code: 'API2', name: '接口二院区' },
    });
    expect(res.statusCode).toBe(201);
    const history = await t.app.inject({
      url: `/api/audit?entity=campus&entityId=${res.json().id}`,
      headers: { cookie },
    });
    expect(history.statusCode).toBe(200);
    expect(history.json().items).toMatchObject([
      { action: 'campus.create', actorId: null, actorName: null, apiTokenId: token.id, apiTokenName: 'HR sync' },
    ]);
  });

  it('is created and revoked by administrators only', async () => {
    const t = get();
    const allowed = rolesWith('api_tokens.manage');
    expect(allowed).toEqual(['admin']);
    for (const role of ROLES.filter((r) => !allowed.includes(r))) {
      const { cookie } = await signIn(t, [role]);
      const res = await createToken(t, cookie, ['org.read']);
      expect(res.statusCode, role).toBe(403);
      expect((await t.app.inject({ url: '/api/api-tokens', headers: { cookie } })).statusCode, role).toBe(403);
    }
  });

  it('cannot be granted money-moving permissions, nor what its creator does not hold', async () => {
    const t = get();
    const count = async () => (await t.database.db.selectFrom('apiTokens').select('id').execute()).length;
    const before = await count();
    const { cookie } = await signIn(t, ['admin', 'finance']);
    const money = await createToken(t, cookie, ['topup.cash']);
    expect(money.statusCode).toBe(422);
    expect(money.json()).toMatchObject({ code: 'SCOPE_NOT_GRANTABLE', errors: [{ path: '/scopes' }] });

    const { cookie: adminOnly } = await signIn(t, ['admin']);
    const notHeld = await createToken(t, adminOnly, ['ledger.read']);
    expect(notHeld.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });

  it('cannot mint tokens itself', async () => {
    const t = get();
    const { cookie } = await signIn(t, ['admin']);
    const res = await createToken(t, cookie, ['api_tokens.manage']);
    expect(res.json().code).toBe('SCOPE_NOT_GRANTABLE');
  });
});
