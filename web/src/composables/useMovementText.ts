import type { EntryKind, StatementItem } from '@canteen/server/api';
import { useI18n } from 'vue-i18n';
import { formatFen } from './money.ts';

/** Every kind of journal entry, in the order the filters offer them (server/src/modules/ledger/tables.ts). */
export const ENTRY_KINDS: EntryKind[] = [
  'spend',
  'top_up',
  'subsidy_grant',
  'subsidy_expiry',
  'transfer',
  'withdrawal_hold',
  'withdrawal_settle',
  'withdrawal_release',
  'reversal',
];

/** A statement item or notification in words: what it was, where, and how the purses moved. */
export function useMovementText() {
  const { t, te } = useI18n();

  const kindText = (kind: string): string => (te(`ledger.kinds.${kind}`) ? t(`ledger.kinds.${kind}`) : kind);

  /** Where the money came from or went, from the entry's details (counter, month, channel). */
  function whereText(details: Record<string, unknown>): string {
    const parts: string[] = [];
    const { counter, month, channel } = details;
    if (typeof channel === 'string' && channel !== 'cash') {
      parts.push(te(`ledger.channels.${channel}`) ? t(`ledger.channels.${channel}`) : channel);
    }
    if (typeof counter === 'string' && counter) parts.push(t('ledger.counter', { counter }));
    if (typeof month === 'string' && month) parts.push(t('ledger.month', { month }));
    return parts.join(' · ');
  }

  /** A transfer's colleague, masked as the server sends it (王*燕): "To 王*燕" when sent, "From 王*燕" when received. */
  function counterpartText(item: Pick<StatementItem, 'counterpart' | 'amountFen'>): string {
    if (!item.counterpart) return '';
    return t(item.amountFen < 0 ? 'ledger.transferTo' : 'ledger.transferFrom', { name: item.counterpart.maskedName });
  }

  /** Where a statement item happened: the colleague of a transfer, as a purchase names its counter. */
  const placeText = (item: Pick<StatementItem, 'counterpart' | 'amountFen' | 'details'>): string =>
    [counterpartText(item), whereText(item.details)].filter(Boolean).join(' · ');

  const splitText = (item: Pick<StatementItem, 'subsidyFen' | 'ownFen'>): string =>
    t('ledger.split', {
      subsidy: formatFen(item.subsidyFen, { sign: true }),
      own: formatFen(item.ownFen, { sign: true }),
    });

  return { kindText, whereText, placeText, splitText, amountText: (fen: number) => formatFen(fen, { sign: true }) };
}
