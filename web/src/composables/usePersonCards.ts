import type { Card, PinStatus } from '@canteen/server/api';
import { ref } from 'vue';
import { cardsApi } from '../api/cards.ts';
import { useErrorText } from './useErrorText.ts';

/** A person's cards and PIN state in the console, and what a cashier or administrator may do to them. */
export function usePersonCards(personId: () => number) {
  const { errorText } = useErrorText();
  const cards = ref<Card[]>([]);
  const pin = ref<PinStatus | null>(null);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    loading.value = true;
    try {
      [cards.value, pin.value] = await Promise.all([cardsApi.cards(personId()), cardsApi.pinStatus(personId())]);
      error.value = '';
    } catch (failure) {
      error.value = errorText(failure);
    } finally {
      loading.value = false;
    }
  }

  return {
    cards,
    pin,
    loading,
    error,
    load,
    issue: async (uid: string) => {
      await cardsApi.issue({ personId: personId(), uid });
      await load();
    },
    reportLost: async (card: Card, reason: string) => {
      await cardsApi.reportLost(card.id, reason);
      await load();
    },
    replace: async (card: Card, uid: string, reason: string) => {
      await cardsApi.replace(card.id, uid, reason);
      await load();
    },
    returnCard: async (card: Card, reason: string) => {
      await cardsApi.returnCard(card.id, reason);
      await load();
    },
    resetPin: async (reason: string) => {
      await cardsApi.resetPin(personId(), reason);
      await load();
    },
  };
}
