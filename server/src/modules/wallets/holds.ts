// Own funds held for something not yet decided (a withdrawal today; lunch orders later): held at once, then
// paid out to the hospital's payable (settled) or given back to own funds (released), each exactly once.
import type { Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/audit.ts';
import { iso, type Clock } from '../../platform/clock.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { enqueue } from '../../platform/outbox.ts';
import { movementMessage, type LedgerService } from '../ledger/index.ts';
import type { MovementResult } from './funding.ts';
import { assertAmount, type WalletsService } from './service.ts';

const HOLD = 'withdrawal_hold';
const SETTLE = 'withdrawal_settle';
const RELEASE = 'withdrawal_release';

export interface HoldInput {
  personId: number;
  amountFen: number;
  /** The business record the money is held for, e.g. { type: 'withdrawal', id: '12' }: one hold each. */
  reference: { type: string; id: string };
}

export class HoldsService {
  constructor(
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly wallets: WalletsService,
  ) {}

  /** Own funds move to the person's hold. A frozen wallet (the person left) may still be paid out. */
  async hold(trx: Tx, input: HoldInput, actor: Actor): Promise<MovementResult> {
    assertAmount(input.amountFen);
    const now = this.clock.now();
    const wallet = (await this.wallets.lockWallets(trx, [input.personId], ['open', 'frozen'])).get(input.personId)!;
    const entryId = await this.ledger.post(
      trx,
      {
        hospitalId: wallet.hospitalId,
        kind: HOLD,
        reference: input.reference,
        lines: [
          { accountId: wallet.ownAccountId, amountFen: -input.amountFen },
          { accountId: wallet.holdAccountId, amountFen: input.amountFen },
        ],
      },
      actor,
      now,
    );
    const balance = {
      subsidyFen: wallet.subsidyFen,
      ownFen: wallet.ownFen - input.amountFen,
      heldFen: wallet.heldFen + input.amountFen,
    };
    await enqueue(
      trx,
      [
        movementMessage({
          personId: input.personId,
          entryId,
          kind: HOLD,
          amounts: { amountFen: -input.amountFen, ownFen: -input.amountFen, heldFen: input.amountFen },
          balance,
          where: {},
          now,
        }),
      ],
      now,
    );
    return { entryId, personId: input.personId, amountFen: input.amountFen, balance, createdAt: iso(now) };
  }

  /** Paid out: the hold becomes a payable of the hospital. */
  settle(trx: Tx, reference: HoldInput['reference'], actor: Actor): Promise<MovementResult> {
    return this.close(trx, reference, SETTLE, actor);
  }

  /** Rejected or cancelled: the hold returns to own funds. */
  release(trx: Tx, reference: HoldInput['reference'], actor: Actor): Promise<MovementResult> {
    return this.close(trx, reference, RELEASE, actor);
  }

  private async close(
    trx: Tx,
    ref: HoldInput['reference'],
    kind: typeof SETTLE | typeof RELEASE,
    actor: Actor,
  ): Promise<MovementResult> {
    const reference: [string, string] = [ref.type, ref.id];
    const now = this.clock.now();
    const hold = await this.ledger.entryWithPostings(trx, { kind: HOLD, reference });
    const held = hold?.postings.find((p) => p.accountKind === 'hold');
    if (!hold || !held?.personId) throw notFound('hold', ref.id);
    const personId = held.personId;
    const wallet = (await this.wallets.lockWallets(trx, [personId], ['open', 'frozen', 'closed'])).get(personId)!;
    for (const other of [SETTLE, RELEASE]) {
      if (await this.ledger.entryByReference(trx, wallet.hospitalId, other, ref)) {
        throw conflict('WITHDRAWAL_ALREADY_CLOSED', 'This withdrawal was already settled or released', {
          withdrawalId: ref.id,
          closedBy: other,
        });
      }
    }
    const target =
      kind === SETTLE
        ? await this.ledger.hospitalAccount(trx, wallet.hospitalId, 'withdrawals_payable', '')
        : wallet.ownAccountId;
    const entryId = await this.ledger.post(
      trx,
      {
        hospitalId: wallet.hospitalId,
        kind,
        reference: ref,
        lines: [
          { accountId: wallet.holdAccountId, amountFen: -held.amountFen },
          { accountId: target, amountFen: held.amountFen },
        ],
      },
      actor,
      now,
    );
    const released = kind === RELEASE ? held.amountFen : 0;
    const balance = {
      subsidyFen: wallet.subsidyFen,
      ownFen: wallet.ownFen + released,
      heldFen: wallet.heldFen - held.amountFen,
    };
    const amounts =
      kind === SETTLE
        ? { amountFen: 0, heldFen: -held.amountFen }
        : { amountFen: held.amountFen, ownFen: held.amountFen, heldFen: -held.amountFen };
    await enqueue(trx, [movementMessage({ personId, entryId, kind, amounts, balance, where: {}, now })], now);
    return { entryId, personId, amountFen: held.amountFen, balance, createdAt: iso(now) };
  }
}
