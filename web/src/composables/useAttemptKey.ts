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

  return { keyFor, finish };
}
