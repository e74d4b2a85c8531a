import type { Card, PinStatus } from '@canteen/server/api';
import { computed } from 'vue';
import { cardsApi } from '../api/cards.ts';
import { useResource } from './useResource.ts';

/** The signed-in person's cards and whether their payment PIN is set: /m's card page. */
export function useMyCards() {
  const { data, loading, error, load } = useResource<{ cards: Card[]; pin: PinStatus | null }>(
    async () => {
      const [cards, pin] = await Promise.all([cardsApi.myCards(), cardsApi.myPin()]);
      return { cards, pin };
    },
    { cards: [], pin: null },
  );
  const cards = computed(() => data.value.cards);
  const pin = computed(() => data.value.pin);

  function replace(card: Card): void {
    data.value = { ...data.value, cards: data.value.cards.map((c) => (c.id === card.id ? card : c)) };
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
