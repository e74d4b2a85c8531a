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

  it('answers an unknown user name exactly like a wrong password', async () => {
    const t = get();
    const person = await newPerson(t.database.db);
    await t.services.auth.setPassword(person.id, 'realname', TEST_PASSWORD);
    const attempt = (username: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.7.0.1',
        payload: { username, password: 'wrong-password' },
      });
    const shape = (res: Awaited<ReturnType<typeof attempt>>) => {
      const { requestId: _id, ...body } = res.json();
      return { status: res.statusCode, type: res.headers['content-type'], body };
    };
    expect(shape(await attempt('realname'))).toEqual(shape(await attempt('nobody-here')));
    expect(shape(await attempt('realname')).body).toEqual({
      type: 'urn:canteen:problem:invalid-credentials',
      title: 'Unauthorized',
      status: 401,
      code: 'INVALID_CREDENTIALS',
      detail: 'Wrong username or password',
      instance: '/api/auth/login',
    });
  });

  it('slows a guesser down with doubling waits, the same for real and unknown names, and never locks the account', async () => {
    const t = get();
    const person = await newPerson(t.database.db);
    await t.services.auth.setPassword(person.id, 'guessed', TEST_PASSWORD);
    const attempt = (username: string, password: string, remoteAddress: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } });
    for (const name of ['guessed', 'never-existed']) {
      const answers: (number | string)[] = [];
      for (let i = 0; i < 5; i++) answers.push((await attempt(name, 'wrong-password', '10.7.1.1')).statusCode);
      // The sixth comes too soon: 429 with Retry-After, for a real name and an unknown one alike.
      const early = await attempt(name, 'wrong-password', '10.7.1.2');
      answers.push(early.statusCode, early.headers['retry-after'] as string, early.json().code);
      expect(early.json().retryAfterSeconds).toBe(1);
      for (const wait of [1, 2, 4, 8]) {
        t.clock.advance(wait * 1000);
        answers.push((await attempt(name, 'wrong-password', '10.7.1.3')).statusCode);
        answers.push((await attempt(name, 'wrong-password', '10.7.1.3')).headers['retry-after'] as string);
      }
      expect(answers, name).toEqual([
        401,
        401,
        401,
        401,
        401,
        429,
        '1',
        'TOO_MANY_ATTEMPTS',
        401,
        '2',
        401,
        '4',
        401,
        '8',
        401,
        '16',
      ]);
    }
    // The waits stop growing at a minute: the real person is never locked out by someone else's guesses.
    for (let i = 0; i < 8; i++) {
      t.clock.advance(60_000);
      await attempt('guessed', 'wrong-password', '10.7.1.4');
    }
    expect((await attempt('guessed', TEST_PASSWORD, '10.7.1.5')).headers['retry-after']).toBe('60');
    t.clock.advance(60_000);
    expect((await attempt('guessed', TEST_PASSWORD, '10.7.1.5')).statusCode).toBe(200);
    // A right password clears the name's count.
    expect((await attempt('guessed', 'wrong-password', '10.7.1.5')).statusCode).toBe(401);
  });

  it('limits guessing from one address across many names, and not the desks at other addresses', async () => {
    const t = get();
    const spray = (username: string, remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { username, password: 'Summer2026' },
      });
    for (let i = 0; i < 20; i++) expect((await spray(`spray-${i}`, '10.7.2.1')).statusCode).toBe(401);
    expect((await spray('spray-next', '10.7.2.1')).statusCode).toBe(429);
    expect((await spray('spray-next', '10.7.2.2')).statusCode).toBe(401);
  });

  it('does not count right passwords against an address that many people sign in from', async () => {
    const t = get();
    const person = await newPerson(t.database.db);
    await t.services.auth.setPassword(person.id, 'busy-desk', TEST_PASSWORD);
    for (let i = 0; i < 25; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.7.3.1',
        payload: { username: 'busy-desk', password: TEST_PASSWORD },
      });
      expect(res.statusCode).toBe(200);
    }
  });

  it('lets exactly the free attempts through when a burst of guesses arrives at once', async () => {
    const t = get();
    const person = await newPerson(t.database.db);
    await t.services.auth.setPassword(person.id, 'burst', TEST_PASSWORD);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: `10.7.4.${i + 1}`,
          payload: { username: 'burst', password: `wrong-${i}` },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
  });

  it('answers the session probe of a sign-in page with 200, signed in or not', async () => {
    const t = get();
    const anonymous = await t.app.inject('/api/auth/session');
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ signedIn: false, me: null });
    const stale = await t.app.inject({ url: '/api/auth/session', headers: { cookie: 'canteen_session=expired' } });
    expect(stale.json()).toEqual({ signedIn: false, me: null });
    const { cookie, person } = await signIn(t, ['cashier']);
    const signedIn = await t.app.inject({ url: '/api/auth/session', headers: { cookie } });
    expect(signedIn.json()).toMatchObject({ signedIn: true, me: { personId: person.id, roles: ['cashier'] } });
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
