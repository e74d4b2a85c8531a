// 提款: a person asks for own funds back; the amount is held in their wallet at once, and finance later pays
// it out (the hold becomes the hospital's payable) or rejects it (the hold returns to own funds).
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { recordAudit, type Actor, type AuditTables } from '../../platform/audit.ts';
import { iso, type Clock } from '../../platform/clock.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { withIdempotency, type IdempotencyTables } from '../../platform/idempotency.ts';
import { pageSize, parseIdCursor, type Page } from '../../platform/paging.ts';
import type { HoldsService, WalletsService } from '../wallets/index.ts';
import * as q from './queries.ts';
import type { WithdrawalStatus, WithdrawalTables } from './tables.ts';

export interface WithdrawalView {
  id: number;
  personId: number;
  amountFen: number;
  status: WithdrawalStatus;
  note: string;
  decisionNote: string;
  requestedAt: string;
  decidedAt: string | null;
  decidedBy: number | null;
}

const toView = (row: {
  id: number;
  personId: number;
  amountFen: number;
  status: WithdrawalStatus;
  note: string;
  decisionNote: string;
  requestedAt: Date;
  decidedAt: Date | null;
  decidedBy: number | null;
}): WithdrawalView => ({
  id: row.id,
  personId: row.personId,
  amountFen: row.amountFen,
  status: row.status,
  note: row.note,
  decisionNote: row.decisionNote,
  requestedAt: iso(row.requestedAt),
  decidedAt: row.decidedAt ? iso(row.decidedAt) : null,
  decidedBy: row.decidedBy,
});

const holdOf = (id: number) => ({ type: 'withdrawal', id: String(id) });

export class WithdrawalsService {
  constructor(
    private readonly db: Kysely<WithdrawalTables & AuditTables & IdempotencyTables>,
    private readonly clock: Clock,
    private readonly wallets: WalletsService,
    private readonly holds: HoldsService,
  ) {}

  /** A person asks for own funds back from /m, once per Idempotency-Key: the amount is held at once. */
  async request(
    input: { personId: number; amountFen: number; note?: string | undefined; idempotencyKey: string },
    actor: Actor,
  ): Promise<WithdrawalView> {
    const { idempotencyKey, ...request } = input;
    const { result } = await withIdempotency(
      this.db,
      { scope: `withdrawal:${input.personId}`, key: idempotencyKey, request, now: this.clock.now() },
      (trx) => this.requestWithin(trx, request, actor),
    );
    return result;
  }

  /** The request inside the caller's transaction (no key: the caller's own protocol makes it once). */
  async requestWithin(
    trx: Tx,
    input: { personId: number; amountFen: number; note?: string | undefined },
    actor: Actor,
  ): Promise<WithdrawalView> {
    const { hospitalId } = (await this.wallets.lockWallets(trx, [input.personId], ['open', 'frozen'])).get(
      input.personId,
    )!;
    const row = await q.insertWithdrawal(trx, {
      hospitalId,
      personId: input.personId,
      amountFen: input.amountFen,
      note: input.note ?? '',
      requestedAt: this.clock.now(),
    });
    await this.holds.hold(
      trx,
      { personId: input.personId, amountFen: input.amountFen, reference: holdOf(row.id) },
      actor,
    );
    return toView(row);
  }

  /** Finance pays the withdrawal out (settle) or rejects it (the hold returns to own funds). */
  async decide(
    input: { withdrawalId: number; hospitalId: number; approve: boolean; note?: string | undefined },
    actor: Actor,
  ): Promise<WithdrawalView> {
    return this.db.transaction().execute(async (t) => {
      const row = await q.findWithdrawalForUpdate(t, input.withdrawalId);
      if (!row || row.hospitalId !== input.hospitalId) throw notFound('withdrawal', input.withdrawalId);
      if (row.status !== 'pending') {
        throw conflict('WITHDRAWAL_ALREADY_DECIDED', 'This withdrawal has already been decided', {
          status: row.status,
        });
      }
      if (input.approve) await this.holds.settle(t, holdOf(row.id), actor);
      else await this.holds.release(t, holdOf(row.id), actor);
      const decided = await q.decideWithdrawal(t, row.id, {
        status: input.approve ? 'paid' : 'rejected',
        decisionNote: input.note ?? '',
        decidedAt: this.clock.now(),
        decidedBy: actor.personId,
      });
      await recordAudit(t, actor, {
        action: input.approve ? 'withdrawal.pay' : 'withdrawal.reject',
        entity: 'withdrawal',
        entityId: row.id,
        before: { status: row.status },
        after: { status: decided.status, note: decided.decisionNote },
      });
      return toView(decided);
    });
  }

  async list(
    filter: { hospitalId?: number; personId?: number; status?: WithdrawalStatus | undefined },
    cursor: string | null = null,
    limit?: number,
  ): Promise<Page<WithdrawalView>> {
    const size = pageSize(limit, 50);
    const before = parseIdCursor(cursor);
    const rows = await q.listWithdrawals(this.db, { ...filter, beforeId: before ?? undefined, limit: size });
    const items = rows.map(toView);
    return { items, nextCursor: items.length === size ? String(items[items.length - 1]!.id) : null };
  }

  /** The pending withdrawal of a person, if any (退卡 waits for finance to decide it first). */
  async pendingOf(trx: Tx, personId: number): Promise<number | null> {
    const [pending] = await q.listWithdrawals(trx, { personId, status: 'pending', limit: 1 });
    return pending?.id ?? null;
  }
}
