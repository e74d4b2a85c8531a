// The sale's purse rule, in TypeScript. The SOURCE of the rule is ledger_spend() in the database
// (0002_ledger.sql), which every sale runs; this mirror is for what must decide without the database (a
// till that is offline, a price preview). rules.test.ts runs both on the same random wallets and fails
// when they disagree, so a change to one without the other does not pass.
import type { SpendOrder } from './tables.ts';

export interface SaleSplit {
  subsidyFen: number;
  ownFen: number;
  /** Owed on own funds (only with the arrears rule: an offline sale synced late). */
  arrearsFen: number;
}

/**
 * Which purses pay `amountFen`: the first purse of the hospital's order, then the other; a purse below zero
 * gives nothing. Without enough money the sale is refused (null), unless `allowArrears`, when the shortfall
 * is owed on own funds.
 */
export function splitSale(
  purses: { subsidyFen: number; ownFen: number },
  amountFen: number,
  order: SpendOrder,
  allowArrears: boolean,
): SaleSplit | null {
  const subsidy = Math.max(purses.subsidyFen, 0);
  const own = Math.max(purses.ownFen, 0);
  let fromSubsidy: number;
  let fromOwn: number;
  if (order === 'own_first') {
    fromOwn = Math.min(own, amountFen);
    fromSubsidy = Math.min(subsidy, amountFen - fromOwn);
  } else {
    fromSubsidy = Math.min(subsidy, amountFen);
    fromOwn = Math.min(own, amountFen - fromSubsidy);
  }
  const short = amountFen - fromSubsidy - fromOwn;
  if (short > 0 && !allowArrears) return null;
  return { subsidyFen: fromSubsidy, ownFen: fromOwn + short, arrearsFen: short };
}
