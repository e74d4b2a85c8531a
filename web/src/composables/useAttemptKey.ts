import { ApiError } from '../api/client.ts';

/**
 * The Idempotency-Key of one attempt at a money-moving request. A retry of the same attempt (same
 * body, after a network failure or a server error) sends the same key, so the server answers with the
 * first result and never moves the money twice; a changed body or a finished attempt gets a new key.
 */
export function useAttemptKey() {
  let key: string | null = null;
  let body = '';

  function keyFor(request: unknown): string {
    const text = JSON.stringify(request);
    if (key === null || text !== body) {
      key = crypto.randomUUID();
      body = text;
    }
    return key;
  }

  /** The attempt is over (it succeeded, or the server refused it for good): the next one is new. */
  function finish(): void {
    key = null;
    body = '';
  }

  /**
   * Sends one try of the attempt for this body. Success or a refusal (4xx) ends the attempt; no
   * answer, a server error, or "the first try with this key is still being processed" keeps the key,
   * so pressing again asks about the same attempt instead of moving the money a second time.
   */
  async function send<T>(request: unknown, post: (key: string) => Promise<T>): Promise<T> {
    try {
      const result = await post(keyFor(request));
      finish();
      return result;
    } catch (failure) {
      if (isRefusal(failure)) finish();
      throw failure;
    }
  }

  return { keyFor, finish, send };
}

const isRefusal = (failure: unknown): boolean =>
  failure instanceof ApiError &&
  failure.status >= 400 &&
  failure.status < 500 &&
  failure.code !== 'IDEMPOTENCY_KEY_IN_USE';
