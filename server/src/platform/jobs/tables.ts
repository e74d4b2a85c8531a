// Row types of the scheduler's tables (migrations 0002_ledger.sql, 0009_job_leases.sql), as Kysely sees them.

/** running: claimed, its lease not yet lapsed; done: finished; failed: retried from nextAttemptAt on. */
export type JobRunStatus = 'running' | 'done' | 'failed';

export interface JobRunsTable {
  job: string;
  slot: string;
  status: JobRunStatus;
  /** Claims so far, the one running included. */
  attempts: number;
  /** The instance holding (or that last held) the claim. */
  claimedBy: string;
  /** The first attempt. */
  startedAt: Date;
  attemptStartedAt: Date;
  leaseUntil: Date | null;
  nextAttemptAt: Date | null;
  finishedAt: Date | null;
  outcome: string | null;
  lastError: string | null;
}

export interface JobSchedulesTable {
  job: string;
  since: Date;
}

export interface SchedulerTables {
  jobRuns: JobRunsTable;
  jobSchedules: JobSchedulesTable;
}
