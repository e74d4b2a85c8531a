// Employee numbers are handed out in sequence, so the colleague lookup could list the hospital's
// staff one number at a time. Every lookup counts, found or not (platform/rate-limit.ts, payee.*).
import { expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { signIn } from '../../../test/factories.ts';

describeApp('walking employee numbers through the colleague lookup', (get) => {
  const lookup = (cookie: string, employeeNo: string, remoteAddress = '10.8.0.1') =>
    get().app.inject({ url: `/api/me/payees?employeeNo=${employeeNo}`, headers: { cookie }, remoteAddress });

  it('slows a person down after twenty lookups, with a wait that doubles', async () => {
    const t = get();
    const walker = await signIn(t, ['staff']);
    for (let n = 1; n <= 20; n++) expect((await lookup(walker.cookie, `W${n}`)).statusCode).toBe(404);
    const early = await lookup(walker.cookie, 'W21');
    expect(early.statusCode).toBe(429);
    expect(early.headers['retry-after']).toBe('1');
    expect(early.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: 1 });
    t.clock.advance(1000);
    expect((await lookup(walker.cookie, 'W21')).statusCode).toBe(404);
    expect((await lookup(walker.cookie, 'W22')).headers['retry-after']).toBe('2');

    // A colleague at another desk is not held up by it.
    const colleague = await signIn(t, ['staff']);
    expect((await lookup(colleague.cookie, 'W23', '10.8.0.2')).statusCode).toBe(404);
  });

  it('still answers 401 before counting anything for a caller without a session', async () => {
    const res = await get().app.inject({ url: '/api/me/payees?employeeNo=W1', remoteAddress: '10.8.0.3' });
    expect(res.statusCode).toBe(401);
  });
});
