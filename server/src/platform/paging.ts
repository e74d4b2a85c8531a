// Cursor paging shared by every list the API serves: newest first, a page at a time, an opaque cursor.
import { invalid } from './errors.ts';
import { localMidnight } from './clock.ts';

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

export const MAX_PAGE = 100;

/** The page size asked for, kept within 1..MAX_PAGE. */
export const pageSize = (limit: number | undefined, fallback: number): number =>
  Math.min(Math.max(limit ?? fallback, 1), MAX_PAGE);

/** A cursor that is an id (the last item's): 400 INVALID_CURSOR when it is not one this server gave out. */
export function parseIdCursor(cursor: string | null | undefined): number | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  if (!/^\d{1,15}$/.test(cursor)) throw invalid('INVALID_CURSOR', 'The cursor is not one this server gave out');
  return Number(cursor);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Local days `from`..`to` (inclusive, YYYY-MM-DD) as the instants [from, to) a query filters on. */
export function localDayRange(
  from: string | undefined,
  to: string | undefined,
  timeZone: string,
): { from: Date | null; to: Date | null } {
  const start = (day: string, path: string): Date => {
    if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
      throw invalid('INVALID_DATE', 'Dates are written YYYY-MM-DD', [{ path, message: 'must be YYYY-MM-DD' }]);
    }
    return localMidnight(day, timeZone);
  };
  return {
    from: from ? start(from, '/from') : null,
    to: to ? new Date(start(to, '/to').getTime() + 86_400_000) : null,
  };
}
