import { computed, ref, watch } from 'vue';
import { useLedgerSettings } from './useLedgerSettings.ts';

const COUNTER_KEY = 'canteen.counter';

/**
 * The hospital's cash counters (a ledger setting finance keeps) and the one chosen now: the counter this
 * browser used last if it is still one of them (a cashier works at the same counter all shift), else the
 * first. The server refuses any other counter (UNKNOWN_COUNTER).
 */
export function useCashCounters() {
  const { settings, load } = useLedgerSettings();
  const counters = computed(() => settings.value?.cashCounters ?? []);
  /** Loaded, and none set up: the page says so instead of offering an empty choice. */
  const noneSetUp = computed(() => settings.value !== null && counters.value.length === 0);
  const counter = ref('');
  watch(counters, (list) => {
    const last = localStorage.getItem(COUNTER_KEY);
    counter.value = last && list.includes(last) ? last : (list[0] ?? '');
  });

  function remember(): void {
    if (counter.value) localStorage.setItem(COUNTER_KEY, counter.value);
  }

  return { counters, noneSetUp, counter, load, remember };
}
