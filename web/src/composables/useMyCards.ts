import type { Card, PinStatus } from '@canteen/server/api';
import { ref } from 'vue';
import { cardsApi } from '../api/cards.ts';
import { useErrorText } from './useErrorText.ts';

/** The signed-in person's cards and whether their payment PIN is set: /m's card page. */
export function useMyCards() {
  const { errorText } = useErrorText();
  const cards = ref<Card[]>([]);
  const pin = ref<PinStatus | null>(null);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    loading.value = true;
    try {
      [cards.value, pin.value] = await Promise.all([cardsApi.myCards(), cardsApi.myPin()]);
      error.value = '';
    } catch (failure) {
      error.value = errorText(failure);
    } finally {
      loading.value = false;
    }
  }

  function replace(card: Card): void {
    cards.value = cards.value.map((c) => (c.id === card.id ? card : c));
  }

  /** 挂失: the card is refused everywhere at once. */
  async function reportLost(id: number): Promise<void> {
    replace(await cardsApi.reportMyCardLost(id));
  }

  /** 解挂 with the payment PIN. */
  async function cancelLoss(id: number, pinText: string): Promise<void> {
    replace(await cardsApi.cancelMyCardLoss(id, pinText));
  }

  return { cards, pin, loading, error, load, reportLost, cancelLoss };
}
