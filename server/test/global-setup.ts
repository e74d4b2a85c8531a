// Vitest global setup of the server project: once per run, before any worker starts, migrate the
// databases every suite copies, and remove what earlier runs that crashed left behind.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  createPostgresTemplate,
  createRunFolder,
  dropRunDatabases,
  dropStaleDatabases,
  isPostgresAvailable,
  writePgliteSnapshot,
} from './databases.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runPid = process.pid;
  const folder = await createRunFolder('canteen-test');
  const pgliteSnapshot = path.join(folder, 'migrated-pglite.tar');
  const postgres = await isPostgresAvailable();
  const teardown = async (): Promise<void> => {
    if (postgres) await dropRunDatabases(runPid);
    await rm(folder, { recursive: true, force: true });
  };
  try {
    const [postgresTemplate] = await Promise.all([
      postgres ? dropStaleDatabases().then(() => createPostgresTemplate(runPid)) : null,
      writePgliteSnapshot(pgliteSnapshot),
    ]);
    project.provide('testDatabases', { runPid, postgresTemplate, pgliteSnapshot });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
