import { useI18n } from 'vue-i18n';

/**
 * Times travel as UTC and are shown in the hospital's zone (DESIGN §4). The server does not send the
 * zone yet; Asia/Shanghai is the platform's default (TIME_ZONE).
 */
const HOSPITAL_TIME_ZONE = 'Asia/Shanghai';

/** An instant (ISO text or epoch milliseconds) as the hospital's clock and calendar show it. */
export function formatInHospitalZone(locale: string, at: string | number, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(locale, { timeZone: HOSPITAL_TIME_ZONE, hour12: false, ...options }).format(
    new Date(at),
  );
}

export function useDateTime() {
  const { locale } = useI18n();
  const format = (at: string | number, options: Intl.DateTimeFormatOptions) =>
    formatInHospitalZone(locale.value, at, options);
  return {
    dateTime: (at: string | number) => format(at, { dateStyle: 'medium', timeStyle: 'short' }),
    time: (at: string | number) => format(at, { hour: '2-digit', minute: '2-digit' }),
    /** A calendar day without the year, for a chart's axis: 3月2日, Mar 2. */
    day: (at: string | number) => format(at, { month: 'short', day: 'numeric' }),
    /** Month, day and time, for lists on a phone: 11/26 18:14. */
    shortDateTime: (at: string | number) =>
      format(at, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }),
  };
}
