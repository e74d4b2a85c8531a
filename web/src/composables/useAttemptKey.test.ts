import { describe, expect, it } from 'vitest';
import { ApiError, NETWORK_ERROR } from '../api/client.ts';
import { useAttemptKey } from './useAttemptKey.ts';

describe('useAttemptKey', () => {
  it('sends the same key when the same request is retried', () => {
    const attempt = useAttemptKey();
    const body = { personId: 8, amountFen: 5050, counter: 'C1' };
    expect(attempt.keyFor({ ...body })).toBe(attempt.keyFor({ ...body }));
  });

  it('makes a new key when the request changes or the attempt is over', () => {
    const attempt = useAttemptKey();
    const first = attempt.keyFor({ amountFen: 5050 });
    const changed = attempt.keyFor({ amountFen: 5000 });
    expect(changed).not.toBe(first);
    attempt.finish();
    expect(attempt.keyFor({ amountFen: 5000 })).not.toBe(changed);
  });
});

describe('useAttemptKey.send', () => {
  const refused = new ApiError(422, 'INSUFFICIENT_FUNDS', 'not enough');
  const inProgress = new ApiError(409, 'IDEMPOTENCY_KEY_IN_USE', 'still in progress');
  const serverError = new ApiError(500, 'INTERNAL', 'boom');
  const noAnswer = new ApiError(0, NETWORK_ERROR, 'offline');

  it.each([
    { outcome: 'no answer', failure: noAnswer, sameKeyAgain: true },
    { outcome: 'a server error', failure: serverError, sameKeyAgain: true },
    { outcome: 'the first try still in progress', failure: inProgress, sameKeyAgain: true },
    { outcome: 'a refusal', failure: refused, sameKeyAgain: false },
  ])('after $outcome, pressing again sends the same key: $sameKeyAgain', async ({ failure, sameKeyAgain }) => {
    const attempt = useAttemptKey();
    const keys: string[] = [];
    const body = { amountFen: 5050 };
    await expect(attempt.send(body, (key) => (keys.push(key), Promise.reject(failure)))).rejects.toBe(failure);
    await attempt.send(body, async (key) => keys.push(key));
    expect(keys[1] === keys[0]).toBe(sameKeyAgain);
  });

  it('starts a new attempt after a success', async () => {
    const attempt = useAttemptKey();
    const keys: string[] = [];
    await attempt.send({ amountFen: 100 }, async (key) => keys.push(key));
    await attempt.send({ amountFen: 100 }, async (key) => keys.push(key));
    expect(keys[1]).not.toBe(keys[0]);
  });
});
