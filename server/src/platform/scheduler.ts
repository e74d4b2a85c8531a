// Scheduled jobs that run once per slot however many app instances are up (DESIGN §5), and that survive
// downtime: every tick (and the first, at start) runs each slot that is due and not yet done. Slots are
// local time. An instance runs a slot under a lease in job_runs that it renews while the job runs; when the
// instance dies the lease lapses and another takes the slot over. A failed run is retried with a growing
// pause. How each job catches up is its own choice (Job.catchUp); docs/operations.md lists them.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Clock } from './clock.ts';
import { localDay, localMidnight } from './clock.ts';
import { claimSlot, findRuns, finishAttempt, renewLease, scheduleSince } from './jobs/queries.ts';
import type { SchedulerTables } from './jobs/tables.ts';

export interface Slot {
  /** Names the slot in job_runs: the local day, the month's first day, the UTC hour. */
  key: string;
  dueAt: Date;
}

export interface Schedule {
  /** What the administrators' page says: every hour, every day at 02:00, every month on the 1st at 00:05. */
  cadence: { every: 'hour' | 'day' | 'month'; at: string | null };
  /** The latest slot due at or before `at`. */
  latest(at: Date): Slot;
  /** The first slot due strictly after `after`. */
  next(after: Date): Slot;
}

export interface Job {
  name: string;
  schedule: Schedule;
  /**
   * 'every': each slot due since the job was first scheduled runs, oldest first, and a slot that fails
   * holds the later ones back (the month-end subsidy expiry: every month expires, in order).
   * 'latest': only the latest due slot runs; a missed one is covered by it (the nightly check, purges).
   */
  catchUp: 'every' | 'latest';
  /** Runs one slot; returns a one-line outcome for the job_runs row, throws to have it retried. */
  run(slot: string, now: Date): Promise<string>;
}

const MINUTE = 60_000;

function atLocalTime(day: string, time: string, timeZone: string): Date {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return new Date(localMidnight(day, timeZone).getTime() + (hours * 60 + minutes) * MINUTE);
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 24 * 60 * MINUTE).toISOString().slice(0, 10);
}

function addMonths(firstDay: string, months: number): string {
  const [year, month] = firstDay.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1 + months, 1)).toISOString().slice(0, 10);
}

/** A schedule of local slots: `keyAt` names the period an instant falls in, `step` moves between periods. */
function localSchedule(
  every: 'day' | 'month',
  time: string,
  timeZone: string,
  keyAt: (at: Date) => string,
  step: (key: string, by: number) => string,
): Schedule {
  const slot = (key: string): Slot => ({ key, dueAt: atLocalTime(key, time, timeZone) });
  return {
    cadence: { every, at: time },
    latest(at) {
      const current = slot(keyAt(at));
      return current.dueAt <= at ? current : slot(step(current.key, -1));
    },
    next(after) {
      const current = slot(keyAt(after));
      return current.dueAt > after ? current : slot(step(current.key, 1));
    },
  };
}

/** Due once a local day, from `time` (HH:MM) on; the slot is the local day. */
export const daily = (time: string, timeZone: string): Schedule =>
  localSchedule('day', time, timeZone, (at) => localDay(at, timeZone), addDays);

/** Due once a month, on the local 1st from `time` (HH:MM) on; the slot is that day (YYYY-MM-01). */
export const monthly = (time: string, timeZone: string): Schedule =>
  localSchedule('month', time, timeZone, (at) => `${localDay(at, timeZone).slice(0, 7)}-01`, addMonths);

function hourSlot(dueAt: Date): Slot {
  return { key: dueAt.toISOString().slice(0, 13), dueAt };
}

/** Due once an hour (UTC hours); the slot is the hour, YYYY-MM-DDTHH. */
export const hourly: Schedule = {
  cadence: { every: 'hour', at: null },
  latest: (at) => hourSlot(new Date(Math.floor(at.getTime() / (60 * MINUTE)) * 60 * MINUTE)),
  next: (after) => hourSlot(new Date((Math.floor(after.getTime() / (60 * MINUTE)) + 1) * 60 * MINUTE)),
};

/** The slots due after `since` up to `now`, oldest first. */
export function slotsBetween(schedule: Schedule, since: Date, now: Date): string[] {
  const keys: string[] = [];
  for (let slot = schedule.next(since); slot.dueAt <= now; slot = schedule.next(slot.dueAt)) keys.push(slot.key);
  return keys;
}

export interface SchedulerOptions {
  /** Names this instance in job_runs.claimed_by. */
  instanceId?: string;
  /** How long a claim holds without renewal; renewed every third of it while the job runs. */
  leaseMs?: number;
  /** The pause before the first retry of a failed slot; it doubles with each attempt, up to maxRetryMs. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  intervalMs?: number;
  /** Told about every failed run and every tick that could not reach the database. */
  onError?: (error: unknown, run?: { job: string; slot: string }) => void;
}

/** The pause after attempt `attempts` failed: 1 min, 2, 4 … up to an hour with the defaults. */
export function retryDelay(attempts: number, firstMs: number, maxMs: number): number {
  return Math.min(firstMs * 2 ** Math.min(attempts - 1, 30), maxMs);
}

type AttemptEnd = 'done' | 'failed' | 'not-ours';

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly since = new Map<string, Date>();
  private readonly instanceId: string;
  private readonly leaseMs: number;
  private readonly firstRetryMs: number;
  private readonly maxRetryMs: number;
  private readonly intervalMs: number;
  private readonly onError: NonNullable<SchedulerOptions['onError']>;

  constructor(
    private readonly db: Kysely<SchedulerTables>,
    private readonly clock: Clock,
    private readonly jobs: Job[],
    options: SchedulerOptions = {},
  ) {
    this.instanceId = options.instanceId ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 5 * MINUTE;
    this.firstRetryMs = options.firstRetryMs ?? MINUTE;
    this.maxRetryMs = options.maxRetryMs ?? 60 * MINUTE;
    this.intervalMs = options.intervalMs ?? MINUTE;
    this.onError = options.onError ?? (() => {});
  }

  /** Runs every slot that is due and not yet done, job by job. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const job of this.jobs) {
      try {
        await this.catchUp(job, now);
      } catch (error) {
        // The database failed us (not the job): the next tick tries again; the other jobs still run.
        this.onError(error);
      }
    }
  }

  private async catchUp(job: Job, now: Date): Promise<void> {
    const slots =
      job.catchUp === 'latest'
        ? [job.schedule.latest(now).key]
        : slotsBetween(job.schedule, await this.scheduledSince(job.name, now), now);
    if (!slots.length) return;
    const done = new Set(
      (await findRuns(this.db, job.name, slots)).filter((r) => r.status === 'done').map((r) => r.slot),
    );
    for (const slot of slots) {
      if (done.has(slot)) continue;
      // In order: a later slot waits while this one runs elsewhere or waits for its retry.
      if ((await this.attempt(job, slot, now)) !== 'done') return;
    }
  }

  private async scheduledSince(job: string, now: Date): Promise<Date> {
    let since = this.since.get(job);
    if (!since) {
      since = await scheduleSince(this.db, job, now);
      this.since.set(job, since);
    }
    return since;
  }

  /** Claims the slot and runs it, unless another instance holds it or its retry is not yet due. */
  private async attempt(job: Job, slot: string, now: Date): Promise<AttemptEnd> {
    const after = (ms: number) => new Date(this.clock.now().getTime() + ms);
    const attempts = await claimSlot(this.db, {
      job: job.name,
      slot,
      claimedBy: this.instanceId,
      now,
      leaseUntil: new Date(now.getTime() + this.leaseMs),
    });
    if (attempts === undefined) return 'not-ours';
    const run = { job: job.name, slot, attempts };
    const heartbeat = setInterval(() => {
      renewLease(this.db, run, after(this.leaseMs)).catch((error: unknown) => this.onError(error, run));
    }, this.leaseMs / 3);
    heartbeat.unref();
    let outcome: string;
    let failure: unknown;
    try {
      outcome = await job.run(slot, now);
    } catch (error) {
      failure = error;
      outcome = `failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      clearInterval(heartbeat);
    }
    const finishedAt = this.clock.now();
    const recorded = await finishAttempt(
      this.db,
      run,
      failure === undefined
        ? { status: 'done', finishedAt, outcome: outcome.slice(0, 2000) }
        : {
            status: 'failed',
            finishedAt,
            outcome: outcome.slice(0, 2000),
            nextAttemptAt: after(retryDelay(attempts, this.firstRetryMs, this.maxRetryMs)),
          },
    );
    if (failure !== undefined) this.onError(failure, run);
    // Not recorded: this instance's lease lapsed and another took the slot over; its record stands.
    if (!recorded) return 'not-ours';
    return failure === undefined ? 'done' : 'failed';
  }

  /** Catches up at once, then ticks every interval. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      if (this.running) return;
      this.running = this.tick()
        .catch(this.onError)
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
