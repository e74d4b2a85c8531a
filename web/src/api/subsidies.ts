import type {
  SubsidyBatch,
  SubsidyBatchDetail,
  SubsidyBatchList,
  SubsidyMonths,
  UploadSubsidyFile,
} from '@canteen/server/api';
import { api } from './client.ts';

/** Monthly subsidy import (server/src/modules/subsidies/routes.ts). */
export const subsidiesApi = {
  upload: (body: UploadSubsidyFile) => api.post<SubsidyBatchDetail>('/api/subsidies/batches', body),
  batches: async (query: { status?: SubsidyBatch['status']; limit?: number } = {}) =>
    (await api.get<SubsidyBatchList>('/api/subsidies/batches', query)).items,
  /** Granted per month, from the journal (whatever path granted it). */
  months: async () => (await api.get<SubsidyMonths>('/api/subsidies/months')).items,
  batch: (id: number) => api.get<SubsidyBatchDetail>(`/api/subsidies/batches/${id}`),
  confirm: (id: number, skipProblemRows: boolean, idempotencyKey: string) =>
    api.postOnce<SubsidyBatch>(`/api/subsidies/batches/${id}/confirm`, { skipProblemRows }, idempotencyKey),
  cancel: (id: number) => api.post<SubsidyBatch>(`/api/subsidies/batches/${id}/cancel`),
  /** Plain links: the browser downloads them with the session cookie. */
  templateUrl: '/api/subsidies/template.xlsx',
  problemLinesUrl: (id: number) => `/api/subsidies/batches/${id}/lines.xlsx?problemsOnly=true`,
};
