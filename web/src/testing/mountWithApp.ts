import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import type { Component } from 'vue';
import { createAppI18n } from '../i18n/index.ts';
import type { Locale } from '../i18n/locale.ts';

/**
 * Mounts a component the way the apps run it: with the real i18n (zh-CN unless a test asks for
 * English; `messages` adds words, as a new i18n entry would), attached to the document so dialogs and
 * popups teleported to <body> can be found.
 */
export function mountWithApp<C extends Component>(
  component: C,
  options: ComponentMountingOptions<C> & { locale?: Locale; messages?: Record<string, unknown> } = {},
) {
  const { locale = 'zh-CN', messages, global = {}, ...rest } = options;
  const i18n = createAppI18n();
  i18n.global.locale.value = locale;
  if (messages) i18n.global.mergeLocaleMessage(locale, messages);
  return mount(component, {
    attachTo: document.body,
    ...rest,
    global: { ...global, plugins: [...(global.plugins ?? []), i18n] },
  } as ComponentMountingOptions<C>);
}
