import type { AuthOptions, Me, Session } from '@canteen/server/api';
import { api } from './client.ts';

export const authApi = {
  options: () => api.get<AuthOptions>('/api/auth/options'),
  login: (username: string, password: string) => api.post<Me>('/api/auth/login', { username, password }),
  devLogin: (employeeNo: string) => api.post<Me>('/api/auth/dev-login', { employeeNo }),
  logout: () => api.post<void>('/api/auth/logout'),
  session: () => api.get<Session>('/api/auth/session'),
};
