// What the administrators see of the scheduled jobs: each one's latest attempt and when it is next due.
import type { Kysely } from 'kysely';
import { iso, type Clock } from '../clock.ts';
import type { Job } from '../scheduler.ts';
import { latestRuns } from './queries.ts';
import type { JobList } from './schema.ts';
import type { SchedulerTables } from './tables.ts';

const isoOrNull = (at: Date | null) => (at ? iso(at) : null);

export class JobsService {
  constructor(
    private readonly db: Kysely<SchedulerTables>,
    private readonly clock: Clock,
    private readonly jobs: Job[],
  ) {}

  async list(): Promise<JobList> {
    const now = this.clock.now();
    const runs = new Map((await latestRuns(this.db)).map((r) => [r.job, r]));
    return {
      jobs: this.jobs.map((job) => {
        const run = runs.get(job.name);
        let nextDueAt = job.schedule.next(now).dueAt;
        // A failed slot is retried first; a job that catches up on every slot runs no later one before it.
        if (run?.nextAttemptAt && (job.catchUp === 'every' || run.nextAttemptAt < nextDueAt)) {
          nextDueAt = run.nextAttemptAt;
        }
        return {
          name: job.name,
          cadence: job.schedule.cadence,
          catchUp: job.catchUp,
          nextDueAt: iso(nextDueAt),
          lastRun: run
            ? {
                slot: run.slot,
                status: run.status,
                attempts: run.attempts,
                claimedBy: run.claimedBy,
                startedAt: iso(run.startedAt),
                attemptStartedAt: iso(run.attemptStartedAt),
                finishedAt: isoOrNull(run.finishedAt),
                outcome: run.outcome,
                lastError: run.lastError,
                leaseUntil: isoOrNull(run.leaseUntil),
                nextAttemptAt: isoOrNull(run.nextAttemptAt),
              }
            : null,
        };
      }),
    };
  }
}
