import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { describeApp } from '../../../test/harness.ts';
import { signIn } from '../../../test/factories.ts';
import { closeAndSettle } from '../../../test/settle.ts';

describeApp('statement routes', (get) => {
  afterAll(() => closeAndSettle(get().database));

  async function walletOwner(ownFen = 0) {
    const t = get();
    const session = await signIn(t, ['staff']);
    await t.services.wallets.openWallets(null, [session.person]);
    if (ownFen) {
      await t.services.funding.topUp(
        null,
        { personId: session.person.id, amountFen: ownFen, source: 'test', reference: randomUUID() },
        { personId: null, requestId: 'test', ip: '' },
      );
    }
    return session;
  }

  it('streams my notifications live', async () => {
    const { app, services } = get();
    const me = await walletOwner();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    try {
      const res = await fetch(`${address}/api/me/notifications/stream`, {
        headers: { cookie: me.cookie },
        signal: controller.signal,
      });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      await services.funding.topUp(
        null,
        { personId: me.person.id, amountFen: 1234, source: 'test', reference: randomUUID() },
        { personId: null, requestId: 'test', ip: '' },
      );
      let text = '';
      const decoder = new TextDecoder();
      while (!text.includes('event: wallet.movement')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      expect(text).toContain('"amountFen":1234');
    } finally {
      controller.abort();
    }
  });
});
