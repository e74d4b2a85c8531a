// A person's statement: what each movement did to their purses, newest first, with the colleague of a
// transfer named (masked). The read side of the ledger: it reads the journal through LedgerService only.
import { iso } from '../../platform/clock.ts';
import { invalid } from '../../platform/errors.ts';
import { localDayRange, pageSize, type Page } from '../../platform/paging.ts';
import type { LedgerService, PersonEntry } from '../ledger/index.ts';
import type { StatementItem, StatementKind } from './schema.ts';

/** Masked names of people (王*燕), as the org module shows a colleague to someone who is not staff. */
export type MaskedNames = (personIds: number[]) => Promise<Map<number, string>>;

export interface StatementFilters {
  /** Local days (YYYY-MM-DD), inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  kinds?: StatementKind[] | undefined;
  limit?: number | undefined;
}

/** The cursor of a statement page: the last item's time and entry id (items are ordered by both). */
function parseCursor(cursor: string | null): { createdAt: Date; entryId: number } | null {
  if (!cursor) return null;
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(cursor);
  if (!match) throw invalid('INVALID_CURSOR', 'The cursor is not one this server gave out');
  return { createdAt: new Date(Number(match[1])), entryId: Number(match[2]) };
}

const counterpartOf = (personId: number, entry: PersonEntry): number | null => {
  if (entry.kind !== 'transfer') return null;
  const from = Number(entry.details['fromPersonId']);
  const to = Number(entry.details['toPersonId']);
  return from === personId ? to : from;
};

export class StatementsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly options: { timeZone: string; maskedNames: MaskedNames },
  ) {}

  /** A person's statement, newest first (time, then id), in pages for infinite scroll. */
  async statement(
    personId: number,
    filters: StatementFilters = {},
    cursor: string | null = null,
  ): Promise<Page<StatementItem>> {
    const limit = pageSize(filters.limit, 20);
    const entries = await this.ledger.personEntries({
      personId,
      ...localDayRange(filters.from, filters.to, this.options.timeZone),
      kinds: filters.kinds?.length ? filters.kinds : null,
      before: parseCursor(cursor),
      limit,
    });
    const others = [...new Set(entries.flatMap((e) => counterpartOf(personId, e) ?? []))];
    const names = others.length ? await this.options.maskedNames(others) : new Map<number, string>();
    const items = entries.map((e): StatementItem => {
      const other = counterpartOf(personId, e);
      return {
        entryId: e.entryId,
        kind: e.kind as StatementKind,
        memo: e.memo,
        details: e.details,
        reference: e.reference,
        reversesEntryId: e.reversesEntryId,
        counterpart: other === null ? null : { personId: other, maskedName: names.get(other) ?? '' },
        amountFen: e.subsidyFen + e.ownFen,
        subsidyFen: e.subsidyFen,
        ownFen: e.ownFen,
        heldFen: e.heldFen,
        createdAt: iso(e.createdAt),
      };
    });
    const last = entries[entries.length - 1];
    return { items, nextCursor: items.length === limit && last ? `${last.createdAt.getTime()}.${last.entryId}` : null };
  }
}
