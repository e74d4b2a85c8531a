import type { JobList, ScheduledJob } from '@canteen/server/api';
import { useI18n } from 'vue-i18n';
import { jobsApi } from '../api/jobs.ts';
import { useDateTime } from './useDateTime.ts';
import { useResource } from './useResource.ts';

/** The scheduled jobs for the administrators: their latest run and when each is next due, in words. */
export function useScheduledJobs() {
  const { t, te } = useI18n();
  const { dateTime } = useDateTime();
  const { data, loading, error, load } = useResource<JobList | null>((signal) => jobsApi.list(signal), null);

  /** A job's own words when the console knows it; its code otherwise (a job newer than this page). */
  const jobName = (job: ScheduledJob) => (te(`jobs.names.${job.name}`) ? t(`jobs.names.${job.name}`) : job.name);
  const cadence = (job: ScheduledJob) => t(`jobs.cadence.${job.cadence.every}`, { at: job.cadence.at ?? '' });
  /** What the row says about the latest run: done, failed (retried at …), running on an instance. */
  const outcome = (job: ScheduledJob) => {
    const run = job.lastRun;
    if (!run) return t('jobs.neverRun');
    if (run.status === 'running') return t('jobs.runningOn', { instance: run.claimedBy });
    return run.outcome ?? '';
  };

  return { data, loading, error, load, jobName, cadence, outcome, dateTime };
}
