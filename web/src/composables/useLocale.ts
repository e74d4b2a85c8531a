import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { LOCALES, type Locale } from '../i18n/locale.ts';

/** The current language and a switch; the i18n setup persists the choice. */
export function useLocale() {
  const { locale } = useI18n();
  const current = computed<Locale>({
    get: () => locale.value as Locale,
    set: (value) => {
      locale.value = value;
    },
  });
  return { locale: current, locales: LOCALES };
}
