// Writes every query of every module as SQL into the module's queries.sql, so a change to a query shows in
// review as a change of SQL (the idea of immich's generated server/src/queries). `--check` fails, and says
// which files, when a committed snapshot is stale; `npm run lint` runs it that way.
//
// How: each function exported by a queries.ts is called with arguments made up from its TypeScript
// parameter types (a number is 1, a string 'x', an array holds one element …) against a Kysely whose
// driver records the compiled SQL instead of sending it. Rows come back as one row that answers 1 to every
// column, so a function that reads its first result and queries again shows both statements.
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CamelCasePlugin,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type KyselyPlugin,
  type QueryResult,
} from 'kysely';
import { format } from 'sql-formatter';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * Every module's queries.ts, with the queries-<capability>.ts a large module splits off beside it, and
 * those of the platform pieces with tables of their own (sign-in, jobs).
 */
function sources(): string[] {
  const modules = path.join(root, 'server/src/modules');
  return [
    ...readdirSync(modules).flatMap((m) =>
      readdirSync(path.join(modules, m))
        .filter((f) => /^queries(-[a-z]+)?\.ts$/.test(f))
        .map((f) => path.join(modules, m, f)),
    ),
    path.join(root, 'server/src/platform/auth/queries.ts'),
    path.join(root, 'server/src/platform/jobs/queries.ts'),
  ].filter((f) => existsSync(f));
}

class RecordingConnection implements DatabaseConnection {
  constructor(private readonly seen: CompiledQuery[]) {}
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    this.seen.push(query);
    return { rows: [{} as R] };
  }
  // eslint-disable-next-line require-yield -- a recorder streams nothing
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    return;
  }
}

class RecordingDriver implements Driver {
  readonly seen: CompiledQuery[] = [];
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RecordingConnection(this.seen);
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/** After the camelCase mapping: every row answers 1 to any column, so follow-up queries run too. */
const anyRow: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async ({ result }) => ({
    ...result,
    rows: result.rows.map(() => new Proxy({}, { get: (_, key) => (key === 'then' ? undefined : 1) })),
  }),
};

/** A value of a TypeScript type, as plain as possible: enough to build the query, not to mean anything. */
function sample(type: ts.Type, checker: ts.TypeChecker, depth = 0): unknown {
  if (depth > 6) return null;
  if (type.isUnion()) {
    const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
    // Prefer an object member (a filter) over a bare literal, so optional branches show in the SQL.
    const pick = members.find((t) => t.flags & ts.TypeFlags.Object) ?? members[0];
    return pick ? sample(pick, checker, depth + 1) : null;
  }
  if (type.isStringLiteral()) return type.value;
  if (type.isNumberLiteral()) return type.value;
  if (type.flags & ts.TypeFlags.BooleanLiteral) return checker.typeToString(type) === 'true';
  if (type.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLike)) return 1;
  if (type.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLike)) return 'x';
  if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLike)) return true;
  const name = type.getSymbol()?.getName();
  if (name === 'Date') return new Date('2026-01-01T00:00:00Z');
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const args = checker.getTypeArguments(type as ts.TypeReference);
    return checker.isTupleType(type)
      ? args.map((a) => sample(a, checker, depth + 1))
      : [sample(args[0]!, checker, depth + 1)];
  }
  if (type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) {
    const value: Record<string, unknown> = {};
    for (const property of checker.getPropertiesOfType(type)) {
      // Mapped types (Kysely's Insertable<…>) have properties without a declaration of their own.
      value[property.getName()] = sample(checker.getTypeOfSymbol(property), checker, depth + 1);
    }
    return value;
  }
  return null;
}

/**
 * The tables a module owns: the properties of the `…Tables` interfaces its tables.ts exports, in
 * snake_case. Kysely's builder already refuses another module's table at compile time; this catches raw
 * `sql` templates too.
 */
function ownTables(queriesFile: string, program: ts.Program): Set<string> {
  const checker = program.getTypeChecker();
  const tablesFile = path.join(path.dirname(queriesFile), 'tables.ts');
  const source = program.getSourceFile(tablesFile);
  const names = new Set<string>();
  if (!source) return names;
  for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
    if (!symbol.getName().endsWith('Tables')) continue;
    for (const property of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      names.add(property.getName().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
    }
  }
  return names;
}

/**
 * Tables a statement reads or writes, leaving out CTE names and set-returning functions (a name followed by
 * a parenthesis; the name is matched whole, so `unnest(` is not read as a table `unnes`).
 */
function tablesOf(statement: string): string[] {
  const ctes = new Set([...statement.matchAll(/(?:WITH|,)\s+"?([a-z_]+)"?\s+AS\s*\(/gi)].map((m) => m[1]!));
  // \b after the name: a function such as jsonb_to_recordset( is not read as a table named jsonb_to_recordse.
  return [...statement.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+"?([a-z_][a-z0-9_]*)\b"?(?!\s*\()/gi)]
    .map((m) => m[1]!)
    .filter((t) => !ctes.has(t) && !/^(unnest|lateral|only|set)$/i.test(t));
}

/** Platform tables a module may name in its own SQL (the audit log it shows as history). */
const SHARED_TABLES = new Set(['audit_log']);

async function snapshot(file: string, program: ts.Program, foreign: string[]): Promise<string> {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const blocks: string[] = [];
  for (const symbol of exported.sort((a, b) => a.getName().localeCompare(b.getName()))) {
    const fn = module[symbol.getName()];
    if (typeof fn !== 'function') continue;
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!declaration) continue;
    const [signature] = checker.getTypeOfSymbolAtLocation(symbol, declaration).getCallSignatures();
    if (!signature) continue;
    const driver = new RecordingDriver();
    const db = new Kysely<unknown>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => driver,
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
      plugins: [new CamelCasePlugin(), anyRow],
    });
    const args = signature
      .getParameters()
      .slice(1)
      .map((p) => sample(checker.getTypeOfSymbolAtLocation(p, declaration), checker));
    try {
      const result = (fn as (...a: unknown[]) => unknown)(db, ...args);
      await result;
    } catch {
      // A made-up row may not satisfy what the function does next; the SQL it sent is what counts here.
    }
    if (!driver.seen.length) continue;
    const own = ownTables(file, program);
    for (const table of driver.seen.flatMap((q) => tablesOf(q.sql))) {
      if (!own.has(table) && !SHARED_TABLES.has(table))
        foreign.push(`${path.relative(root, file)} ${symbol.getName()}: ${table}`);
    }
    const statements = driver.seen.map((q) => `${format(q.sql, { language: 'postgresql', keywordCase: 'upper' })};`);
    blocks.push(`-- ${symbol.getName()}\n${statements.join('\n\n')}`);
  }
  const relative = path.relative(root, file);
  return `-- Generated by scripts/sql-snapshots.ts from ${relative}: do not edit; run \`npm run sql\`.\n\n${blocks.join('\n\n')}\n`;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const files = sources();
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'server/tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  )!;
  const program = ts.createProgram(files, config.options);
  const stale: string[] = [];
  const foreign: string[] = [];
  for (const file of files.sort()) {
    const target = file.replace(/\.ts$/, '.sql');
    const text = await snapshot(file, program, foreign);
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current === text) continue;
    if (check) stale.push(path.relative(root, target));
    else await writeFile(target, text);
  }
  if (foreign.length) {
    process.stderr.write(`Queries name tables their module does not own:\n  ${foreign.join('\n  ')}\n`);
    process.exit(1);
  }
  if (stale.length) {
    process.stderr.write(`SQL snapshots are stale (run \`npm run sql\` and commit): ${stale.join(', ')}\n`);
    process.exit(1);
  }
}

await main();
