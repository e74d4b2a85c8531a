import type { Card, PinStatus } from '@canteen/server/api';
import { computed } from 'vue';
import { cardsApi } from '../api/cards.ts';
import { useResource } from './useResource.ts';

/** A person's cards and PIN state in the console, and what a cashier or administrator may do to them. */
export function usePersonCards(personId: () => number) {
  const { data, loading, error, load } = useResource<{ cards: Card[]; pin: PinStatus | null }>(
    async () => {
      const [cards, pin] = await Promise.all([cardsApi.cards(personId()), cardsApi.pinStatus(personId())]);
      return { cards, pin };
    },
    { cards: [], pin: null },
  );
  /** Each change answers with one card; the list and PIN state are read again so the panel shows them whole. */
  const thenReload = async (change: Promise<unknown>): Promise<void> => {
    await change;
    await load();
  };

  return {
    cards: computed(() => data.value.cards),
    pin: computed(() => data.value.pin),
    loading,
    error,
    load,
    issue: (uid: string) => thenReload(cardsApi.issue({ personId: personId(), uid })),
    reportLost: (card: Card, reason: string) => thenReload(cardsApi.reportLost(card.id, reason)),
    replace: (card: Card, uid: string, reason: string) => thenReload(cardsApi.replace(card.id, uid, reason)),
    returnCard: (card: Card, reason: string) => thenReload(cardsApi.returnCard(card.id, reason)),
    resetPin: (reason: string) => thenReload(cardsApi.resetPin(personId(), reason)),
  };
}
