// Vitest global setup of the browser tests: a folder for this run, where the first test file to start
// keeps the demo hospital's database for the others to copy (startPlatform in harness.ts).
import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { createRunFolder } from '../server/test/databases.ts';

declare module 'vitest' {
  interface ProvidedContext {
    e2eRunFolder: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const folder = await createRunFolder('canteen-e2e');
  project.provide('e2eRunFolder', folder);
  return () => rm(folder, { recursive: true, force: true });
}
