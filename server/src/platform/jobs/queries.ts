import { sql } from 'kysely';
import type { Db as ModuleDb } from '../../db/database.ts';
import type { SchedulerTables } from './tables.ts';

// The scheduler's tables: which slot of which job ran, who holds it, and since when each job is scheduled.
type Db = ModuleDb<SchedulerTables>;

/** Since when `job` is scheduled; the first instance to ask sets it to `now`. */
export async function scheduleSince(db: Db, job: string, now: Date): Promise<Date> {
  await db
    .insertInto('jobSchedules')
    .values({ job, since: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await db.selectFrom('jobSchedules').select('since').where('job', '=', job).executeTakeFirstOrThrow();
  return row.since;
}

export function findRuns(db: Db, job: string, slots: string[]) {
  return db
    .selectFrom('jobRuns')
    .select(['slot', 'status'])
    .where('job', '=', job)
    .where('slot', 'in', slots)
    .execute();
}

/**
 * Claims a slot for `claimedBy` until `leaseUntil`: a new slot, one whose holder's lease has lapsed (that
 * instance died), or a failed one whose retry is due. One statement, so of several instances at once exactly
 * one gets the row back; on a conflict PostgreSQL re-checks the condition on the row as the winner left it.
 * Returns the attempt number, or undefined when the slot is not this instance's to run.
 */
export async function claimSlot(
  db: Db,
  claim: { job: string; slot: string; claimedBy: string; now: Date; leaseUntil: Date },
): Promise<number | undefined> {
  const { job, slot, claimedBy, now, leaseUntil } = claim;
  const row = await db
    .insertInto('jobRuns')
    .values({
      job,
      slot,
      status: 'running',
      attempts: 1,
      claimedBy,
      startedAt: now,
      attemptStartedAt: now,
      leaseUntil,
      nextAttemptAt: null,
      finishedAt: null,
      outcome: null,
      lastError: null,
    })
    .onConflict((oc) =>
      oc
        .columns(['job', 'slot'])
        .doUpdateSet((eb) => ({
          status: 'running',
          attempts: eb('jobRuns.attempts', '+', 1),
          claimedBy: eb.ref('excluded.claimedBy'),
          attemptStartedAt: eb.ref('excluded.attemptStartedAt'),
          leaseUntil: eb.ref('excluded.leaseUntil'),
          nextAttemptAt: null,
          // A lapsed lease is a failed attempt too: say so where the administrators look.
          lastError: sql<string | null>`CASE WHEN job_runs.status = 'running'
            THEN 'the lease of ' || job_runs.claimed_by || ' lapsed' ELSE job_runs.last_error END`,
        }))
        .where((eb) =>
          eb.or([
            eb.and([eb('jobRuns.status', '=', 'running'), eb('jobRuns.leaseUntil', '<=', now)]),
            eb.and([eb('jobRuns.status', '=', 'failed'), eb('jobRuns.nextAttemptAt', '<=', now)]),
          ]),
        ),
    )
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts;
}

/** Keeps a running claim; does nothing once the claim is finished or taken over (another attempt). */
export function renewLease(db: Db, run: { job: string; slot: string; attempts: number }, leaseUntil: Date) {
  return db
    .updateTable('jobRuns')
    .set({ leaseUntil })
    .where('job', '=', run.job)
    .where('slot', '=', run.slot)
    .where('attempts', '=', run.attempts)
    .where('status', '=', 'running')
    .execute();
}

/**
 * Records how an attempt ended, only if it is still the current one: an instance whose lease lapsed
 * and was taken over does not overwrite the new holder's record. Returns whether it was recorded.
 */
export async function finishAttempt(
  db: Db,
  run: { job: string; slot: string; attempts: number },
  end:
    | { status: 'done'; finishedAt: Date; outcome: string }
    | { status: 'failed'; finishedAt: Date; outcome: string; nextAttemptAt: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('jobRuns')
    .set({
      status: end.status,
      finishedAt: end.finishedAt,
      outcome: end.outcome,
      leaseUntil: null,
      nextAttemptAt: end.status === 'failed' ? end.nextAttemptAt : null,
      ...(end.status === 'failed' ? { lastError: end.outcome } : {}),
    })
    .where('job', '=', run.job)
    .where('slot', '=', run.slot)
    .where('attempts', '=', run.attempts)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Each job's most recent attempt (the administrators' jobs page). */
export function latestRuns(db: Db) {
  return db
    .selectFrom('jobRuns')
    .distinctOn('job')
    .select([
      'job',
      'slot',
      'status',
      'attempts',
      'claimedBy',
      'startedAt',
      'attemptStartedAt',
      'leaseUntil',
      'nextAttemptAt',
      'finishedAt',
      'outcome',
      'lastError',
    ])
    .orderBy('job')
    .orderBy('attemptStartedAt', 'desc')
    .orderBy('slot', 'desc')
    .execute();
}
