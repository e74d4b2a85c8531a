import { computed, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { checkYuan, fenAsTyped, formatFen, type MoneyLimits } from './money.ts';

export interface MoneyInputOptions extends MoneyLimits {
  /** What to say when the amount is above maxFen (e.g. "more than you can withdraw"); else "at most …". */
  overText?: string;
}

/**
 * The logic of a money field, whichever UI kit draws it: the text as typed, the amount in fen it is
 * worth (null while it is empty or not acceptable), and why it is not. The page's v-model is the fen;
 * the page clears the field by setting it to null and fills it by setting fen.
 */
export function useMoneyInput(
  model: { value: number | null },
  options: () => MoneyInputOptions,
  emit: (fen: number | null) => void,
) {
  const { t } = useI18n();
  const text = ref(model.value === null ? '' : fenAsTyped(model.value));
  const check = computed(() => checkYuan(text.value, options()));
  let told: number | null = model.value;

  // Each change of the text or the limits tells the page what the amount is now worth.
  watch(
    () => check.value.fen,
    (fen) => {
      told = fen;
      emit(fen);
    },
  );
  // A change that did not come from here is the page clearing or filling the field.
  watch(
    () => model.value,
    (fen) => {
      if (fen === told) return;
      told = fen;
      text.value = fen === null ? '' : fenAsTyped(fen);
    },
  );

  const problem = computed((): string => {
    const current = check.value;
    if (current.problem === 'invalid') return t('money.invalid');
    if (current.problem === 'below') {
      return current.limitFen <= 1 ? t('money.positive') : t('money.atLeast', { min: formatFen(current.limitFen) });
    }
    if (current.problem === 'above')
      return options().overText || t('money.atMost', { max: formatFen(current.limitFen) });
    // Empty says nothing: the person has not typed yet, or cleared the field on purpose.
    return '';
  });

  return { text, problem };
}
