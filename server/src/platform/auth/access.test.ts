// Who may call what is decided before a request's body or query is looked at: an anonymous caller
// gets 401 and a caller without the permission 403 on every protected route of the OpenAPI document,
// never a 400 that lists the fields the route expects.
import { expect, it } from 'vitest';
import { describeApp, type TestApp } from '../../../test/harness.ts';
import { signIn } from '../../../test/factories.ts';

interface Operation {
  method: string;
  path: string;
  permission: string | undefined;
  isPublic: boolean;
}

async function operationsOf(t: TestApp): Promise<Operation[]> {
  const doc = (await t.app.inject('/api/docs/json')).json() as {
    paths: Record<string, Record<string, { security?: unknown[]; 'x-permission'?: string }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      permission: op['x-permission'],
      isPublic: Array.isArray(op.security) && op.security.length === 0,
    })),
  );
}

/** A request that fails validation wherever validation is reached: bad path ids, bad query, bad body. */
function invalidRequest(op: Operation, cookie?: string) {
  const url = `${op.path.replace(/\{[^}]+\}/g, 'not-a-number')}?limit=-1&since=soon&unexpected=1`;
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(op.method);
  return {
    method: op.method as 'GET',
    url,
    headers: cookie ? { cookie } : {},
    ...(hasBody ? { payload: { unexpected: true, amountFen: 'lots' } } : {}),
  };
}

describeApp('access is checked before validation on every route', (get) => {
  it('answers 401 without field paths to a caller without a session, on every protected route', async () => {
    const t = get();
    const protectedOps = (await operationsOf(t)).filter((op) => !op.isPublic);
    expect(protectedOps.length).toBeGreaterThan(50);
    const wrong: string[] = [];
    for (const op of protectedOps) {
      const res = await t.app.inject(invalidRequest(op));
      if (res.statusCode !== 401 || res.json().code !== 'UNAUTHENTICATED' || 'errors' in res.json()) {
        wrong.push(`${op.method} ${op.path} → ${res.statusCode} ${res.body.slice(0, 80)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 to a signed-in person without the permission, on every permission route', async () => {
    const t = get();
    const { cookie } = await signIn(t, ['staff']);
    const permissionOps = (await operationsOf(t)).filter((op) => op.permission);
    expect(permissionOps.length).toBeGreaterThan(30);
    const wrong: string[] = [];
    for (const op of permissionOps) {
      const res = await t.app.inject(invalidRequest(op, cookie));
      if (res.statusCode !== 403 || res.json().code !== 'FORBIDDEN' || 'errors' in res.json()) {
        wrong.push(`${op.method} ${op.path} (${op.permission}) → ${res.statusCode} ${res.body.slice(0, 80)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('documents the public operations as needing no session and the others by permission', async () => {
    const ops = await operationsOf(get());
    const find = (method: string, path: string) => ops.find((op) => op.method === method && op.path === path);
    expect(find('POST', '/api/auth/login')).toMatchObject({ isPublic: true, permission: undefined });
    expect(find('GET', '/api/me/wallet')).toMatchObject({ isPublic: false, permission: undefined });
    expect(find('POST', '/api/ledger/cash-top-ups')).toMatchObject({ isPublic: false, permission: 'topup.cash' });
  });
});
