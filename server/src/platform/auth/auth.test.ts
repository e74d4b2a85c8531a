import { expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { TEST_PASSWORD, newPerson, signIn } from '../../../test/factories.ts';

describeApp('sign-in and sessions', (get) => {
  it('signs in with the right password and sees who it is', async () => {
    const t = get();
    const person = await newPerson(t.database.db, { roles: ['finance'] });
    await t.services.auth.setPassword(person.id, 'finance-1', TEST_PASSWORD);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'finance-1', password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const cookie = `canteen_session=${login.cookies.find((c) => c.name === 'canteen_session')?.value}`;
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ personId: person.id, roles: ['finance'] });
    expect(me.json().permissions).toContain('subsidy.manage');
  });

  it('stores only a hash of the session token and an httpOnly cookie', async () => {
    const t = get();
    const person = await newPerson(t.database.db);
    await t.services.auth.setPassword(person.id, 'hashcheck', TEST_PASSWORD);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'hashcheck', password: TEST_PASSWORD },
    });
    const cookie = res.cookies.find((c) => c.name === 'canteen_session');
    expect(cookie?.httpOnly).toBe(true);
    const stored = await t.database.db
      .selectFrom('sessions')
      .select('tokenHash')
      .where('personId', '=', person.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toBe(cookie?.value);
    const hash = await t.database.db
      .selectFrom('passwordLogins')
      .select('passwordHash')
      .where('personId', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(hash.passwordHash).toMatch(/^scrypt\$/);
    expect(hash.passwordHash).not.toContain(TEST_PASSWORD);
  });

  it('refuses a wrong password and locks the login after repeated failures', async () => {
    const t = get();
    const person = await newPerson(t.database.db);
    await t.services.auth.setPassword(person.id, 'locky', TEST_PASSWORD);
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'locky', password } });
    for (let i = 1; i < t.config.loginMaxFailures; i++) {
      const res = await attempt('wrong-password');
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', attemptsLeft: t.config.loginMaxFailures - i });
    }
    expect((await attempt('wrong-password')).json()).toMatchObject({ code: 'LOGIN_LOCKED', status: 423 });
    // Even the right password is refused while locked …
    expect((await attempt(TEST_PASSWORD)).statusCode).toBe(423);
    // … and works again once the lock has run out.
    t.clock.advance(t.config.loginLockMinutes * 60_000 + 1000);
    expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
    t.clock.advance(-(t.config.loginLockMinutes * 60_000 + 1000));
  });

  it('answers an unknown username exactly like a wrong password', async () => {
    const res = await get().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody-here', password: 'x' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('ends the session on logout', async () => {
    const t = get();
    const { cookie } = await signIn(t, ['staff']);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses an expired session', async () => {
    const t = get();
    const { cookie } = await signIn(t, ['staff']);
    t.clock.advance(t.config.sessionTtlHours * 3_600_000 + 1);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    t.clock.advance(-(t.config.sessionTtlHours * 3_600_000 + 1));
  });

  it('keeps development sign-in off unless enabled', async () => {
    const t = get();
    const person = await newPerson(t.database.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/dev-login',
      payload: { employeeNo: person.employeeNo },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('DEV_LOGIN_DISABLED');
    expect(res.cookies).toHaveLength(0);
  });
});

describeApp(
  'development sign-in when enabled',
  (get) => {
    it('signs a person in by employee number', async () => {
      const t = get();
      const person = await newPerson(t.database.db, { name: '李四' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/dev-login',
        payload: { employeeNo: person.employeeNo },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: '李四', method: 'dev' });
    });
  },
  { devLogin: true },
);
