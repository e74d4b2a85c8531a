// The notice a person gets for each movement of their money (outbox topic wallet.movement): amount, what,
// where, balance after. Written in the transaction of the entry; /m shows it live, WeCom will send it.
import { iso } from '../../platform/clock.ts';
import type { OutboxMessage } from '../../platform/outbox.ts';
import type { PurseBalances } from './service.ts';
import type { EntryKind } from './tables.ts';

export const WALLET_MOVEMENT = 'wallet.movement';

export function movementMessage(movement: {
  personId: number;
  entryId: number;
  kind: EntryKind;
  /** The change to what the person can spend, and per purse. */
  amounts: { amountFen: number; subsidyFen?: number; ownFen?: number; heldFen?: number };
  balance: PurseBalances | undefined;
  /** Where and with whom: counter, channel, the colleague of a transfer … */
  where: Record<string, unknown>;
  now: Date;
}): OutboxMessage {
  return {
    topic: WALLET_MOVEMENT,
    personId: movement.personId,
    payload: {
      entryId: movement.entryId,
      kind: movement.kind,
      ...movement.amounts,
      ...movement.where,
      balance: movement.balance ?? null,
      at: iso(movement.now),
    },
  };
}
