// Browser-test harness: the real server in this process (PGlite in memory, migrated, the demo hospital
// loaded), the built web app it serves, and Debian's Chromium driven by playwright-core.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { buildApp } from '../server/src/app.ts';
import { testConfig, type Config } from '../server/src/config.ts';
import { openDatabase, type Database } from '../server/src/db/index.ts';
import { seedDemoHospital } from '../server/src/demo/seed.ts';
import { systemClock } from '../server/src/platform/clock.ts';
import type { App } from '../server/src/platform/http.ts';
import { writePgliteSnapshot } from '../server/test/databases.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
export const SHOTS = process.env['E2E_SHOTS'] ?? '/tmp/shots';
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export { DEMO_PASSWORD } from '../server/src/demo/seed.ts';

/** Builds the web app when its sources are newer than the last build (the same check `npm start` makes). */
export function ensureWebBuild(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-web-build.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`building the web app failed (exit ${result.status})`);
}

export interface Platform {
  baseUrl: string;
  app: App;
  database: Database;
  close(): Promise<void>;
}

/**
 * The data folder of a PGlite with the demo hospital loaded. Loading it takes long (2,000 people and
 * thousands of sales through the ledger), so it happens once per run: the first test file to ask loads
 * it and leaves the folder in the run's folder (e2e/global-setup.ts); every file serves a copy of it,
 * so what one file changes no other file sees.
 */
async function demoSnapshot(config: Config): Promise<Blob> {
  const file = path.join(inject('e2eRunFolder'), `demo-${config.demoSeed}.tar`);
  if (!existsSync(file)) {
    await writePgliteSnapshot(file, async (database) => {
      const { app, services } = await buildApp({ config, database, logger: false });
      await seedDemoHospital(database.db, {
        seed: config.demoSeed,
        auth: services.auth,
        clock: systemClock,
        org: services.org,
      });
      await app.close();
    });
  }
  return new Blob([await readFile(file)]);
}

export async function startPlatform(overrides: Partial<Config> = {}): Promise<Platform> {
  const config = testConfig({ webDist: path.join(ROOT, 'web', 'dist'), devLogin: true, ...overrides });
  const database = await openDatabase({ dataDir: ':memory:', loadDataDir: await demoSnapshot(config) });
  const { app } = await buildApp({ config, database, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface Journey {
  baseUrl: string;
  /** A fresh browser profile (own cookies and localStorage) at the given size. */
  newPage(options?: { width: number; height: number; mobile?: boolean }): Promise<Page>;
}

/**
 * Sets up one server and one browser for a test file and closes them after it; `get()` gives the
 * running journey once `beforeAll` has run.
 */
export function useJourney(overrides: Partial<Config> = {}): () => Journey {
  let platform: Platform | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ensureWebBuild();
    [platform, browser] = await Promise.all([startPlatform(overrides), launchChromium()]);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await platform?.close();
  });

  return () => {
    const running = platform;
    const chrome = browser;
    if (!running || !chrome) throw new Error('the e2e platform is not running');
    return {
      baseUrl: running.baseUrl,
      async newPage(options = { width: 1280, height: 800 }) {
        const context = await chrome.newContext({
          baseURL: running.baseUrl,
          viewport: { width: options.width, height: options.height },
          deviceScaleFactor: options.mobile ? 2 : 1,
          isMobile: options.mobile ?? false,
          hasTouch: options.mobile ?? false,
          locale: 'zh-CN',
          timezoneId: 'Asia/Shanghai',
        });
        contexts.push(context);
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        return page;
      },
    };
  };
}

/** Saves a screenshot to SHOTS/<name>.png, for a person to look at the layout. */
export async function shoot(page: Page, name: string): Promise<void> {
  // Let a table's loading veil fade first, so the picture shows the screen as a person sees it.
  await page
    .waitForFunction(() => !document.querySelector('.el-loading-mask'), null, { timeout: 3000 })
    .catch(() => undefined);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}
