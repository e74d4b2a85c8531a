import type { App } from '../http.ts';
import { JobListSchema } from './schema.ts';
import type { JobsService } from './service.ts';

export function jobRoutes(app: App, jobs: JobsService): void {
  app.get(
    '/api/admin/jobs',
    {
      config: { access: 'jobs.read' },
      schema: {
        operationId: 'listScheduledJobs',
        tags: ['operations'],
        summary: 'Scheduled jobs: each one’s latest attempt, its outcome and when it is next due',
        response: { 200: JobListSchema },
      },
    },
    async () => jobs.list(),
  );
}
