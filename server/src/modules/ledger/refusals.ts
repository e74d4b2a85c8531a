// Refusals raised in SQL (SQLSTATE LDG00, the stable code as the message, JSON details) as typed AppErrors.
// Every module that runs the ledger's SQL functions (ledger_post, ledger_spend) maps errors through here.
import { AppError, conflict } from '../../platform/errors.ts';

const REFUSALS: Record<string, { status: number; message: string }> = {
  INSUFFICIENT_FUNDS: { status: 409, message: 'Not enough money in the wallet' },
  WALLET_FROZEN: { status: 409, message: 'This wallet is frozen' },
  WALLET_CLOSED: { status: 409, message: 'This wallet is closed' },
  NO_WALLET: { status: 404, message: 'This person has no wallet' },
  INVALID_AMOUNT: { status: 422, message: 'The amount must be a positive whole number of fen' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: 'This Idempotency-Key was used for a different request' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, message: 'A request with this Idempotency-Key is in progress: retry' },
  LEDGER_UNBALANCED: {
    status: 422,
    message: 'The postings of an entry must move money between two or more accounts and sum to zero',
  },
  LEDGER_UNKNOWN_ACCOUNT: { status: 422, message: 'An entry posts to an account that does not exist' },
  LEDGER_APPEND_ONLY: { status: 409, message: 'The journal is append-only: reverse the entry instead' },
};

interface DatabaseErrorLike {
  code?: string;
  message?: string;
  detail?: string;
}

/** Turns a refusal raised in SQL into an AppError; other errors pass through unchanged. */
export function ledgerError(error: unknown): unknown {
  const e = error as DatabaseErrorLike;
  if (e?.code === 'LDG00' && e.message && REFUSALS[e.message]) {
    let details: Record<string, unknown>;
    try {
      details = e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {};
    } catch {
      details = {};
    }
    const refusal = REFUSALS[e.message]!;
    return new AppError(e.message, refusal.status, refusal.message, details);
  }
  if (e?.code === '23505' && (e.message ?? '').includes('journal_entries_idempotency_idx')) {
    // A concurrent request with this key committed its entry first (ledger_post in 0012_spend_writes.sql).
    const refusal = REFUSALS['IDEMPOTENCY_KEY_IN_USE']!;
    return new AppError('IDEMPOTENCY_KEY_IN_USE', refusal.status, refusal.message);
  }
  if (e?.code === '23505' && (e.message ?? '').includes('journal_entries_reference_idx')) {
    return conflict('DUPLICATE_REFERENCE', 'This business record already has its journal entry');
  }
  if (e?.code === '23505' && (e.message ?? '').includes('journal_entries_reverses_idx')) {
    return conflict('ENTRY_ALREADY_REVERSED', 'This entry has already been reversed');
  }
  return error;
}

/** Runs `work`, turning the ledger's SQL refusals into AppErrors. */
export async function refusalsAsAppErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw ledgerError(error);
  }
}
