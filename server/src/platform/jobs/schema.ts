// Response schema of the administrators' jobs page (GET /api/admin/jobs).
import { Type, type Static } from 'typebox';
import { Instant, Nullable } from '../schema.ts';

const JobRunSchema = Type.Object({
  slot: Type.String({ description: 'the local day, the 1st of a month (YYYY-MM-01) or the UTC hour' }),
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  attempts: Type.Integer({ minimum: 1 }),
  claimedBy: Type.String({ description: 'the app instance that ran (or runs) the latest attempt' }),
  startedAt: Instant,
  attemptStartedAt: Instant,
  finishedAt: Nullable(Instant),
  outcome: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  leaseUntil: Nullable(Instant),
  nextAttemptAt: Nullable(Instant),
});

export const JobSchema = Type.Object({
  name: Type.String(),
  cadence: Type.Object({
    every: Type.Union([Type.Literal('hour'), Type.Literal('day'), Type.Literal('month')]),
    at: Nullable(Type.String({ description: 'local time HH:MM' })),
  }),
  catchUp: Type.Union([Type.Literal('every'), Type.Literal('latest')], {
    description: 'every: each missed slot runs, in order; latest: only the latest missed slot',
  }),
  lastRun: Nullable(JobRunSchema),
  nextDueAt: Instant,
});

export const JobListSchema = Type.Object({ jobs: Type.Array(JobSchema) }, { $id: 'JobList' });

export type ScheduledJob = Static<typeof JobSchema>;
export type JobList = Static<typeof JobListSchema>;
