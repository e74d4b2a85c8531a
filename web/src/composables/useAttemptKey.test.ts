import { describe, expect, it } from 'vitest';
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
