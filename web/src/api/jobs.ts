import type { JobList } from '@canteen/server/api';
import { api } from './client.ts';

/** Scheduled jobs (server/src/platform/jobs/routes.ts): the administrators' view. */
export const jobsApi = {
  list: (signal?: AbortSignal) => api.get<JobList>('/api/admin/jobs', undefined, signal),
};
