// What an integrator relies on in the OpenAPI document: it is valid 3.1, every operation has a stable
// operationId, every error answer is documented as a Problem, and a client generated from it compiles
// with real types.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv } from 'ajv';
import openapiTS, { astToString } from 'openapi-typescript';
import { Type } from 'typebox';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { testConfig } from '../config.ts';
import { describeApp, ONE_DATABASE, type TestApp } from '../../test/harness.ts';
import { signIn } from '../../test/factories.ts';

interface Operation {
  operationId?: string;
  security?: unknown[];
  'x-permission'?: string;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Document {
  [key: string]: unknown;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

async function served(t: TestApp): Promise<Document> {
  const res = await t.app.inject('/api/docs/json');
  expect(res.statusCode).toBe(200);
  return res.json() as Document;
}

function operations(doc: Document): (Operation & { name: string })[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ ...op, name: `${method.toUpperCase()} ${path}` })),
  );
}

const errorStatuses = (op: Operation): string[] => Object.keys(op.responses).filter((s) => /^[45]/.test(s));

/** Compiles `program` beside the generated client; returns the compiler's messages. */
function compile(dir: string, program: string): string[] {
  const file = join(dir, 'program.ts');
  ts.sys.writeFile(file, program);
  const host = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
    skipLibCheck: true,
  });
  return ts
    .getPreEmitDiagnostics(host)
    .map(
      (d) =>
        `${d.file ? `${d.file.fileName.slice(dir.length + 1)}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

describeApp(
  'the OpenAPI document integrators generate clients from',
  (get) => {
    it('is a valid OpenAPI 3.1 document', async () => {
      const validator = new Validator();
      const result = await validator.validate(await served(get()));
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      expect(validator.version).toBe('3.1');
    });

    it('gives every operation a unique camelCase operationId', async () => {
      const ops = operations(await served(get()));
      expect(ops.length).toBeGreaterThan(60);
      expect(ops.filter((op) => !/^[a-z][A-Za-z0-9]*$/.test(op.operationId ?? '')).map((op) => op.name)).toEqual([]);
      const ids = ops.map((op) => op.operationId);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
      // Renaming one breaks every generated client: these are the contract.
      const byName = Object.fromEntries(ops.map((op) => [op.name, op.operationId]));
      expect(byName).toMatchObject({
        'GET /api/people': 'listPeople',
        'POST /api/me/transfers': 'createTransfer',
        'POST /api/ledger/cash-top-ups': 'createCashTopUp',
        'GET /api/me/wallet': 'getMyWallet',
      });
    });

    it('documents 401 on every protected operation and 403 on every permission or write', async () => {
      const wrong: string[] = [];
      for (const op of operations(await served(get()))) {
        const statuses = errorStatuses(op);
        const isPublic = Array.isArray(op.security) && op.security.length === 0;
        const isWrite = /^(POST|PUT|PATCH|DELETE) /.test(op.name);
        if (!isPublic && !statuses.includes('401')) wrong.push(`${op.name} lacks 401`);
        if ((op['x-permission'] || isWrite) && !statuses.includes('403')) wrong.push(`${op.name} lacks 403`);
        if (isWrite && !['400', '413'].every((s) => statuses.includes(s))) wrong.push(`${op.name} lacks 400/413`);
      }
      expect(wrong).toEqual([]);
    });

    it('documents every error answer as the one shared Problem, in application/problem+json', async () => {
      const doc = await served(get());
      expect(doc.components.schemas['Problem']).toBeDefined();
      const wrong: string[] = [];
      for (const op of operations(doc)) {
        for (const status of errorStatuses(op)) {
          const ref = op.responses[status]?.content?.['application/problem+json']?.schema?.$ref;
          if (ref !== '#/components/schemas/Problem') wrong.push(`${op.name} ${status}: ${ref}`);
        }
      }
      expect(wrong).toEqual([]);
      const ops = operations(doc);
      const find = (name: string) => ops.find((op) => op.name === name);
      expect(errorStatuses(find('PATCH /api/departments/{id}')!)).toEqual(
        expect.arrayContaining(['400', '401', '403', '404', '409', '413', '422']),
      );
      expect(errorStatuses(find('GET /api/me/payees')!)).toEqual(expect.arrayContaining(['404', '429']));
    });

    it('answers errors in the documented Problem shape', async () => {
      const t = get();
      const doc = await served(t);
      const ajv = new Ajv({ strict: false });
      const isProblem = ajv.compile({ ...doc.components.schemas['Problem'], $id: undefined });
      const { cookie } = await signIn(t, ['admin']);
      const answers = [
        await t.app.inject({ url: '/api/people/999999', headers: { cookie } }),
        await t.app.inject({ url: '/api/people?limit=0', headers: { cookie } }),
        await t.app.inject({ url: '/api/people' }),
      ];
      expect(answers.map((res) => res.statusCode)).toEqual([404, 400, 401]);
      for (const res of answers) {
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(isProblem(res.json()), JSON.stringify(isProblem.errors)).toBe(true);
      }
    });

    it('generates a typed client with openapi-typescript that compiles against the API', async () => {
      const doc = await served(get());
      const client = astToString(await openapiTS(JSON.stringify(doc)));
      const dir = await mkdtemp(join(tmpdir(), 'canteen-openapi-'));
      try {
        await writeFile(join(dir, 'api.ts'), client);
        const program = (body: string) => `
          import type { components, operations } from './api.ts';
          type Ok<Id extends keyof operations> = operations[Id]['responses'] extends { 200: { content: { 'application/json': infer T } } } ? T : never;
          type Problem = components['schemas']['Problem'];
          declare function fetch(url: string): Promise<{ ok: boolean; json(): Promise<unknown> }>;
          async function call<Id extends keyof operations>(_id: Id, url: string): Promise<Ok<Id>> {
            const res = await fetch(url);
            if (!res.ok) {
              const problem = (await res.json()) as Problem;
              throw new Error(problem.code + ' ' + problem.requestId + ' ' + String(problem.errors?.[0]?.path));
            }
            return (await res.json()) as Ok<Id>;
          }
          export async function main(): Promise<number> {
            ${body}
          }
        `;
        expect(
          compile(
            dir,
            program(`
              const wallet = await call('getMyWallet', '/api/me/wallet');
              const people = await call('listPeople', '/api/people?q=wang');
              const first: string | undefined = people.items[0]?.name;
              return wallet.ownFen + wallet.subsidyFen + (first?.length ?? 0);`),
          ),
        ).toEqual([]);
        // The types are real: a field the API does not have is a compile error, not `any`.
        const misuse = compile(dir, program(`return (await call('getMyWallet', '/api/me/wallet')).balanceYuan;`));
        expect(misuse.join('\n')).toMatch(/balanceYuan/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('refuses to start when an API route has no operationId, or shares one', async () => {
      const { app } = await buildApp({ config: testConfig(), database: get().database, logger: false });
      const route = { config: { access: 'public' as const }, schema: { response: { 200: Type.Object({}) } } };
      expect(() => app.get('/api/forgotten', route, async () => ({}))).toThrow(/does not declare schema.operationId/);
      expect(() =>
        app.get('/api/again', { ...route, schema: { ...route.schema, operationId: 'listPeople' } }, async () => ({})),
      ).toThrow(/share operationId listPeople/);
      await app.close();
    });
  },
  {},
  ONE_DATABASE,
);
