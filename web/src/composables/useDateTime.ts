import { useI18n } from 'vue-i18n';

/**
 * Times travel as UTC and are shown in the hospital's zone (DESIGN §4). The server does not send the
 * zone yet; Asia/Shanghai is the platform's default (TIME_ZONE).
 */
const HOSPITAL_TIME_ZONE = 'Asia/Shanghai';

export function useDateTime() {
  const { locale } = useI18n();
  const format = (iso: string, options: Intl.DateTimeFormatOptions): string =>
    new Intl.DateTimeFormat(locale.value, { timeZone: HOSPITAL_TIME_ZONE, hour12: false, ...options }).format(
      new Date(iso),
    );
  return {
    dateTime: (iso: string) => format(iso, { dateStyle: 'medium', timeStyle: 'short' }),
    time: (iso: string) => format(iso, { hour: '2-digit', minute: '2-digit' }),
    /** Month, day and time, for lists on a phone: 11/26 18:14. */
    shortDateTime: (iso: string) =>
      format(iso, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }),
  };
}
