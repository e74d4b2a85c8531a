import type { ApiToken, ApiTokenList, CreatedApiToken, NewApiToken } from '@canteen/server/api';
import { api } from './client.ts';

/** API tokens for integrations (server/src/platform/auth/api-token-routes.ts), administrators only. */
export const apiTokensApi = {
  list: (signal?: AbortSignal) => api.get<ApiTokenList>('/api/api-tokens', undefined, signal),
  create: (body: NewApiToken) => api.post<CreatedApiToken>('/api/api-tokens', body),
  revoke: (id: number) => api.post<ApiToken>(`/api/api-tokens/${id}/revoke`),
};
