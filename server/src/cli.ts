import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/index.ts';
import { migrate, migrationStatus } from './db/migrate.ts';
import { systemClock } from './platform/clock.ts';
import { formatFen } from './platform/money.ts';

// The rest of the server loads when a command needs it: `canteen --help` or `migrate` needs none of it,
// and `start` loads it while the database opens (PGlite compiles its WebAssembly on other threads).
const loadApp = () => import('./app.ts');
const loadServices = () => import('./services.ts');
const loadSeed = () => import('./demo/seed.ts');

/** What the launcher hands a command: `npm start` (scripts/start.mjs) builds the web app meanwhile. */
export interface Launch {
  /** The web app's build, running in another process: `start` serves once it has finished. */
  webBuild?: Promise<void>;
}

export interface CommandContext {
  config: Config;
  args: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  launch: Launch;
}

export interface Command {
  name: string;
  summary: string;
  usage?: string;
  details?: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  optionHelp?: Record<string, string>;
  /** Resolves to the exit code; `start` resolves only when the server has stopped. */
  run(ctx: CommandContext): Promise<number>;
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
// `canteen migrate --status | head` closes our stdout early: that is the reader's choice, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

async function openMigrated(config: Config): Promise<Database> {
  // Creating the embedded database (initdb in WebAssembly) is the longest silent step of a first start.
  const embedded = !config.databaseUrl && config.dataDir !== ':memory:';
  if (embedded && !existsSync(path.join(config.dataDir, 'PG_VERSION'))) {
    out(`creating the embedded database in ${config.dataDir} (first start only) …`);
  }
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    onIdleError: (error) => process.stderr.write(`canteen: a database connection was lost: ${error.message}\n`),
  });
  try {
    await migrate(database, out);
    // Names the SQL of migration 0011 could not spell (people from before it, or from an older instance).
    const { fillMissingPinyin } = await import('./modules/org/index.ts');
    const spelled = await fillMissingPinyin(database.db);
    if (spelled) out(`spelled ${spelled} names in pinyin`);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function seedIfEmpty(database: Database, config: Config, seed: number): Promise<boolean> {
  const [{ isDatabaseEmpty, seedDemoHospital }, { buildServices }] = await Promise.all([loadSeed(), loadServices()]);
  if (!(await isDatabaseEmpty(database.db))) return false;
  const started = performance.now();
  out(`loading the demo hospital (seed ${seed}) …`);
  const services = buildServices(database.db, config, systemClock);
  // The wallets listen, so every active demo person gets a wallet (and leavers a frozen one).
  const result = await seedDemoHospital(database.db, {
    seed,
    auth: services.auth,
    org: services.org,
    clock: systemClock,
    progress: (line) => out(`  ${line}`),
  });
  const { money } = result;
  out(
    `demo hospital loaded in ${seconds(started)}: ${result.people} people, ${formatFen(money.subsidyGrantedFen, { grouping: true })} subsidy granted, ${money.topUps} cash top-ups, ${money.sales} canteen sales`,
  );
  return true;
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** Resolves when the launcher's web build is done (at once without one); says so when it must wait. */
async function webBuildFinished(launch: Launch, settled: () => boolean): Promise<void> {
  if (!launch.webBuild) return;
  if (!settled()) out('waiting for the web app build to finish …');
  await launch.webBuild;
}

const start: Command = {
  name: 'start',
  summary: 'Migrate the database, load the demo hospital into an empty one, and serve the platform',
  details:
    'Listens on HOST:PORT. Without DATABASE_URL the data lives in DATA_DIR (PGlite).\nSIGTERM or Ctrl-C finishes the requests in flight and closes the database cleanly.',
  async run({ config, launch }) {
    let webBuilt = false;
    launch.webBuild?.then(
      () => (webBuilt = true),
      () => (webBuilt = true),
    );
    const modules = Promise.all([loadApp(), loadServices(), import('./platform/scheduler.ts'), loadSeed()]);
    // Awaited below, after the database: until then a failure to load must not count as unhandled.
    modules.catch(() => {});
    const database = await openMigrated(config);
    let built: Awaited<ReturnType<typeof buildApp>>;
    let loaded: Awaited<typeof modules>;
    try {
      loaded = await modules;
      if (config.demo) await seedIfEmpty(database, config, config.demoSeed);
      // The app looks for the built pages when it is built: the web build must be done by then.
      await webBuildFinished(launch, () => webBuilt);
      built = await loaded[0].buildApp({ config, database });
    } catch (error) {
      await database.close();
      throw error;
    }
    const { app, services } = built;
    const [, { scheduledJobs }, { Scheduler }, { DEMO_PASSWORD }] = loaded;
    // Jobs live in PostgreSQL (job_runs): with several instances, each slot still runs once.
    // A claim whose instance dies lapses and is taken over; on start, every missed slot is caught up.
    const scheduler = new Scheduler(database.db, systemClock, scheduledJobs(database.db, services, config), {
      onError: (error, job) => app.log.error({ err: error, job }, 'scheduled job failed'),
    });
    scheduler.start();

    let stopping = false;
    const stop = async (signal: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'shutting down: finishing requests in flight');
      const force = setTimeout(() => {
        app.log.error('shutdown took over 15 s; exiting');
        process.exit(1);
      }, 15_000);
      force.unref();
      try {
        await scheduler.stop();
        await app.close();
      } finally {
        await database.close();
      }
      app.log.info('stopped cleanly');
    };
    const closed = new Promise<void>((resolve) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => void stop(signal).then(resolve, resolve));
      }
    });

    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      await database.close();
      throw error;
    }
    const shown = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host) ? 'localhost' : config.host;
    const url = `http://${shown}:${config.port}`;
    out('');
    out(`Smart Canteen is running on ${url}  (database: ${database.kind} ${database.location})`);
    out(`  admin console   ${url}/admin/`);
    out(`  staff app       ${url}/m/`);
    out(`  API docs        ${url}/api/docs`);
    if (config.demo) {
      out(
        `  demo logins     admin, finance, cashier, manager, kitchen, delivery, auditor, staff — password ${DEMO_PASSWORD}`,
      );
    }
    if (config.devLogin) out('  development sign-in is ON (CANTEEN_DEV_LOGIN): staff sign in by employee number alone');
    out('');
    await closed;
    return 0;
  },
};

const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations (forward-only)',
  options: { status: { type: 'boolean' } },
  optionHelp: { status: 'List applied and pending migrations without applying any' },
  async run({ config, args }) {
    if (args['status']) {
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const status = await migrationStatus(database);
        for (const name of status.applied) out(`applied  ${name}`);
        for (const name of status.pending) out(`pending  ${name}`);
        return status.pending.length ? 1 : 0;
      } finally {
        await database.close();
      }
    }
    const database = await openMigrated(config);
    await database.close();
    out('database is up to date');
    return 0;
  },
};

const seedCommand: Command = {
  name: 'seed',
  summary: 'Load the demo hospital into an empty database',
  options: { seed: { type: 'string' } },
  optionHelp: { seed: 'Seed value (default CANTEEN_DEMO_SEED): the same seed gives the same hospital' },
  async run({ config, args }) {
    const raw = args['seed'];
    const seed = typeof raw === 'string' ? Number(raw) : config.demoSeed;
    if (!Number.isSafeInteger(seed) || seed < 0) {
      process.stderr.write(`canteen seed: --seed must be a whole number, got ${String(raw)}\n`);
      return 2;
    }
    const database = await openMigrated(config);
    try {
      const { DEMO_PASSWORD } = await loadSeed();
      if (!(await seedIfEmpty(database, config, seed))) {
        process.stderr.write(
          'canteen seed: the database already holds a hospital; seed only loads into an empty one\n',
        );
        return 1;
      }
      out(
        `demo logins: admin, finance, cashier, manager, kitchen, delivery, auditor, staff — password ${DEMO_PASSWORD}`,
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};

const importSubsidies: Command = {
  name: 'import-subsidies',
  summary: 'Preview a monthly subsidy file (.xlsx or .csv) and, with --confirm, grant it',
  usage: 'FILE [--month 2026-03] [--confirm [--skip-problem-rows]]',
  details:
    'Columns 工号/employeeNo, 姓名/name, 金额/amount and 月份/month (or --month for the whole batch).\nExits 1 when a line has a problem or the grant is refused; nothing is granted twice.',
  options: {
    month: { type: 'string' },
    hospital: { type: 'string' },
    confirm: { type: 'boolean' },
    'skip-problem-rows': { type: 'boolean' },
  },
  optionHelp: {
    month: 'The month of every line, when the file has no month column',
    hospital: 'Hospital code (needed only when the installation holds several)',
    confirm: 'Grant the batch after the preview',
    'skip-problem-rows': 'With --confirm: grant the good lines and leave out those with problems',
  },
  async run({ config, args, positionals }) {
    const file = positionals[0];
    if (!file) {
      process.stderr.write('canteen import-subsidies: name the file to import\n');
      return 2;
    }
    const database = await openMigrated(config);
    try {
      const [{ buildServices }, { importSubsidiesFromFile }] = await Promise.all([
        loadServices(),
        import('./modules/subsidies/cli.ts'),
      ]);
      const { directory, subsidies } = buildServices(database.db, config, systemClock);
      return await importSubsidiesFromFile(
        directory,
        subsidies,
        {
          file,
          month: typeof args['month'] === 'string' ? args['month'] : undefined,
          hospital: typeof args['hospital'] === 'string' ? args['hospital'] : undefined,
          confirm: args['confirm'] === true,
          skipProblemRows: args['skip-problem-rows'] === true,
        },
        out,
      );
    } finally {
      await database.close();
    }
  },
};

const verify: Command = {
  name: 'verify',
  summary: 'Check the ledger: every entry balances, cached balances match the postings, no purse below zero',
  details:
    'Prints each breach and exits 1 when there is any (0 when the ledger is sound).\nA purse below zero is accepted only behind an entry flagged by the arrears rule (offline sales synced late).',
  options: { json: { type: 'boolean' } },
  optionHelp: { json: 'Print the report as one JSON object' },
  async run({ config, args }) {
    const database = await openMigrated(config);
    try {
      const { buildServices } = await loadServices();
      const report = await buildServices(database.db, config, systemClock).ledger.verify();
      if (args['json']) {
        out(JSON.stringify(report));
      } else {
        for (const breach of report.breaches) out(`BREACH ${breach.kind}: ${breach.message}`);
        out(
          report.ok
            ? `ledger OK: ${report.entries} entries and ${report.accounts} accounts checked`
            : `ledger NOT OK: ${report.breaches.length} breach(es) in ${report.entries} entries and ${report.accounts} accounts`,
        );
      }
      return report.ok ? 0 : 1;
    } finally {
      await database.close();
    }
  },
};

export const COMMANDS: Command[] = [start, migrateCommand, seedCommand, importSubsidies, verify];
