-- Scheduled jobs that survive downtime and dying instances (platform/scheduler.ts).
--
-- A claim is a lease: the instance that runs a slot holds it until lease_until and renews it while the job
-- runs; once it lapses (the instance died), another instance takes the slot over. A failed run is retried
-- from next_attempt_at on, with a growing pause; attempts counts every claim.

ALTER TABLE job_runs ADD COLUMN status text NOT NULL DEFAULT 'done'
  CHECK (status IN ('running', 'done', 'failed'));
ALTER TABLE job_runs ADD COLUMN attempts integer NOT NULL DEFAULT 1 CHECK (attempts >= 1);
ALTER TABLE job_runs ADD COLUMN claimed_by text NOT NULL DEFAULT '';
ALTER TABLE job_runs ADD COLUMN attempt_started_at timestamptz;
ALTER TABLE job_runs ADD COLUMN lease_until timestamptz;
ALTER TABLE job_runs ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE job_runs ADD COLUMN last_error text;

-- Rows written before leases: a finished one is done (or failed, retried at once); an unfinished one
-- belonged to an instance that is gone, so its lease has lapsed already.
UPDATE job_runs SET attempt_started_at = started_at;
UPDATE job_runs SET status = 'running', lease_until = started_at WHERE finished_at IS NULL;
UPDATE job_runs SET status = 'failed', next_attempt_at = finished_at, last_error = outcome
 WHERE finished_at IS NOT NULL AND outcome LIKE 'failed:%';
ALTER TABLE job_runs ALTER COLUMN attempt_started_at SET NOT NULL;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_lease_check CHECK ((status = 'running') = (lease_until IS NOT NULL));
ALTER TABLE job_runs ADD CONSTRAINT job_runs_retry_check CHECK ((status = 'failed') = (next_attempt_at IS NOT NULL));

-- Since when each job is scheduled: a job that catches up on every missed slot (the month-end subsidy
-- expiry) runs each one due after this instant. Jobs that already ran count from their first run.
CREATE TABLE job_schedules (
  job text PRIMARY KEY,
  since timestamptz NOT NULL
);
INSERT INTO job_schedules (job, since) SELECT job, min(started_at) FROM job_runs GROUP BY job;
-- Every claim names its values; the defaults above only filled the rows written before.
ALTER TABLE job_runs ALTER COLUMN status DROP DEFAULT;
ALTER TABLE job_runs ALTER COLUMN attempts DROP DEFAULT;
ALTER TABLE job_runs ALTER COLUMN claimed_by DROP DEFAULT;
