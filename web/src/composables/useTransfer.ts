import type { Payee, TransferReceipt } from '@canteen/server/api';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../api/client.ts';
import { transfersApi } from '../api/transfers.ts';
import { formatFen } from './money.ts';
import { useAttemptKey } from './useAttemptKey.ts';
import { useErrorText } from './useErrorText.ts';

/**
 * 同事间转账 on the phone: find the colleague by exact employee number, then send own funds with the
 * payment PIN. One attempt keeps one Idempotency-Key (the PIN is not part of it, as on the server), so
 * a retry after a lost answer never sends the money twice.
 */
export function useTransfer() {
  const { t } = useI18n();
  const { errorText } = useErrorText();
  const attempt = useAttemptKey();
  const payee = ref<Payee | null>(null);
  const finding = ref(false);
  const findError = ref('');
  const sending = ref(false);
  const receipt = ref<TransferReceipt | null>(null);

  async function find(employeeNo: string): Promise<Payee | null> {
    if (finding.value) return null;
    finding.value = true;
    findError.value = '';
    payee.value = null;
    try {
      payee.value = await transfersApi.payee(employeeNo);
      return payee.value;
    } catch (failure) {
      findError.value = errorText(failure);
      return null;
    } finally {
      finding.value = false;
    }
  }

  /** Sends the transfer; resolves to the receipt, or throws the text to show beside the PIN pad. */
  async function send(amountFen: number, memo: string, pin: string): Promise<TransferReceipt> {
    const to = payee.value;
    if (!to || sending.value) throw new Error('no payee or already sending');
    const details = { toPersonId: to.personId, amountFen, ...(memo ? { memo } : {}) };
    sending.value = true;
    try {
      // The PIN is not part of the attempt: a retry with the PIN typed again is the same transfer.
      receipt.value = await attempt.send(details, (key) => transfersApi.send({ ...details, pin }, key));
      return receipt.value;
    } catch (failure) {
      throw new Error(transferErrorText(failure), { cause: failure });
    } finally {
      sending.value = false;
    }
  }

  function transferErrorText(failure: unknown): string {
    const limit = failure instanceof ApiError ? failure.extra['limitFen'] : undefined;
    const sent = failure instanceof ApiError ? failure.extra['sentTodayFen'] : undefined;
    if (failure instanceof ApiError && failure.code === 'TRANSFER_DAILY_LIMIT') {
      if (typeof limit === 'number' && typeof sent === 'number') {
        return t('transfer.dailyLimit', { limit: formatFen(limit), sent: formatFen(sent) });
      }
    }
    return errorText(failure);
  }

  function reset(): void {
    payee.value = null;
    findError.value = '';
    receipt.value = null;
    attempt.finish();
  }

  return { payee, finding, findError, find, sending, receipt, send, reset };
}
