// Housekeeping of sign-in state (platform/scheduler.ts runs each once per slot across all instances).
import { hourly, type Job } from '../scheduler.ts';
import type { AuthService } from './service.ts';

export function authJobs(auth: AuthService): Job[] {
  return [
    {
      name: 'sessions.purge',
      schedule: hourly,
      catchUp: 'latest',
      run: async () => `purged ${await auth.purgeExpiredSessions()} expired sessions`,
    },
    {
      name: 'rate-limits.purge',
      schedule: hourly,
      catchUp: 'latest',
      run: async () => `purged ${await auth.purgeRateLimits()} idle rate-limit counts`,
    },
  ];
}
