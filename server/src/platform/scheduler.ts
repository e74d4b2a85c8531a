// Scheduled jobs that run once per slot however many app instances are up (DESIGN §5): the instance
// that inserts the (job, slot) row runs it; the others find the row and skip. Slots are local time.
import type { Kysely } from 'kysely';
import type { Clock } from './clock.ts';
import { localDay } from './clock.ts';

export interface JobRunsTable {
  job: string;
  slot: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: string | null;
}

export interface SchedulerTables {
  jobRuns: JobRunsTable;
}

export interface Job {
  name: string;
  /** The slot due at `now` (e.g. the local day once 02:00 has passed), or null when nothing is due. */
  slotAt(now: Date): string | null;
  /** Returns a one-line outcome for the job_runs row. */
  run(now: Date): Promise<string>;
}

/** Due once a local day, from `time` (HH:MM) on. */
export function daily(time: string, timeZone: string): (now: Date) => string | null {
  return (now) => {
    const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    return clock.format(now) >= time ? localDay(now, timeZone) : null;
  };
}

/** Due once an hour (UTC hours). */
export const hourly = (now: Date): string => now.toISOString().slice(0, 13);

/** Runs `job` for `slot` unless some instance already has. Returns whether this call ran it. */
export async function runOnce(db: Kysely<SchedulerTables>, job: Job, slot: string, now: Date): Promise<boolean> {
  const claimed = await db
    .insertInto('jobRuns')
    .values({ job: job.name, slot, startedAt: now, finishedAt: null, outcome: null })
    .onConflict((oc) => oc.doNothing())
    .returning('job')
    .executeTakeFirst();
  if (!claimed) return false;
  let outcome: string;
  try {
    outcome = await job.run(now);
  } catch (error) {
    outcome = `failed: ${(error as Error).message}`;
  }
  await db
    .updateTable('jobRuns')
    .set({ finishedAt: new Date(), outcome: outcome.slice(0, 2000) })
    .where('job', '=', job.name)
    .where('slot', '=', slot)
    .execute();
  return true;
}

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<SchedulerTables>,
    private readonly clock: Clock,
    private readonly jobs: Job[],
    private readonly onError: (error: unknown) => void = () => {},
    private readonly intervalMs = 60_000,
  ) {}

  /** Checks every job once. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const job of this.jobs) {
      const slot = job.slotAt(now);
      if (slot !== null) await runOnce(this.db, job, slot, now);
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch(this.onError)
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
