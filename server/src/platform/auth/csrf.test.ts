import { expect, it } from 'vitest';
import { describeApp, type TestApp } from '../../../test/harness.ts';
import { TEST_PASSWORD, newPerson, signIn } from '../../../test/factories.ts';

const PUBLIC_ORIGIN = 'https://canteen.example.org';
// app.inject sends Host: localhost:80 unless told otherwise; a browser's Origin leaves the default port out.
const OWN_ORIGIN = 'http://localhost';

/** Sets the payment PIN, the way /m does, with the given browser headers. */
const setPin = (t: TestApp, cookie: string, headers: Record<string, string>) =>
  t.app.inject({ method: 'PUT', url: '/api/me/pin', headers: { cookie, ...headers }, payload: { pin: '258036' } });

const pinIsSet = async (t: TestApp, cookie: string): Promise<boolean> =>
  (await t.app.inject({ url: '/api/me/pin', headers: { cookie } })).json().set;

describeApp(
  'writes from another site are refused (CSRF)',
  (get) => {
    it.each([
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['an Origin on another port of the same host', { origin: 'http://localhost:8080' }],
      ['the opaque Origin of a sandboxed frame', { origin: 'null' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site (another subdomain or port)', { 'sec-fetch-site': 'same-site', origin: 'http://x' }],
    ])('refuses a signed-in write with %s and changes nothing', async (_what, headers) => {
      const t = get();
      const { cookie } = await signIn(t, ['staff']);
      const res = await setPin(t, cookie, headers);
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'CSRF_REFUSED', status: 403 });
      expect(await pinIsSet(t, cookie)).toBe(false);
    });

    it.each([
      ['its own Origin', { origin: OWN_ORIGIN }],
      ['the configured public origin (behind a proxy that rewrites Host)', { origin: PUBLIC_ORIGIN }],
      ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin', origin: OWN_ORIGIN }],
      ['Sec-Fetch-Site: none (the person typed it)', { 'sec-fetch-site': 'none' }],
      ['no browser headers at all (not a page in a browser)', {}],
    ])('accepts a signed-in write with %s', async (_what, headers) => {
      const t = get();
      const { cookie } = await signIn(t, ['staff']);
      expect((await setPin(t, cookie, headers)).statusCode).toBe(204);
      expect(await pinIsSet(t, cookie)).toBe(true);
    });

    it('keeps a session that a foreign page tries to end', async () => {
      const t = get();
      const { cookie } = await signIn(t, ['staff']);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { cookie, 'sec-fetch-site': 'same-site', origin: 'http://localhost:9999' },
      });
      expect(res.json().code).toBe('CSRF_REFUSED');
      expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    });

    it('refuses a sign-in posted by a foreign page, so nobody is signed in as someone else unawares', async () => {
      const t = get();
      const person = await newPerson(t.database.db);
      await t.services.auth.setPassword(person.id, 'csrf-login', TEST_PASSWORD);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: 'https://evil.example' },
        payload: { username: 'csrf-login', password: TEST_PASSWORD },
      });
      expect(res.json().code).toBe('CSRF_REFUSED');
      expect(res.cookies).toHaveLength(0);
    });

    it('lets reads through: a page on another site cannot read the answer anyway', async () => {
      const t = get();
      const { cookie } = await signIn(t, ['staff']);
      const res = await t.app.inject({
        url: '/api/me/pin',
        headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });
      expect(res.statusCode).toBe(200);
    });

    it('leaves requests that authenticate with the Authorization header, not the cookie, to the access check', async () => {
      const t = get();
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/me/pin',
        headers: { authorization: 'Bearer not-a-token', origin: 'https://integrator.example' },
        payload: { pin: '258036' },
      });
      // The access check, not the CSRF check, refuses it: there is no such API token.
      expect(res.json().code).toBe('API_TOKEN_INVALID');
    });
  },
  { publicOrigin: PUBLIC_ORIGIN },
);
