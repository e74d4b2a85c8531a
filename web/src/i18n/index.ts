import { watch } from 'vue';
import { createI18n } from 'vue-i18n';
import en from './en.ts';
import { saveLocale, savedLocale, type Locale } from './locale.ts';
import type { MessageSchema } from './schema.ts';
import zhCN from './zh-CN.ts';

export function createAppI18n() {
  const i18n = createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale: savedLocale(),
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': zhCN, en },
    missingWarn: false,
    fallbackWarn: false,
  });
  const apply = (locale: Locale) => {
    document.documentElement.lang = locale;
    saveLocale(locale);
  };
  apply(i18n.global.locale.value);
  watch(i18n.global.locale, apply);
  return i18n;
}
