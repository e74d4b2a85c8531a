/** Rules take the time from a clock passed in, so a test can stand at 09:59:59 and 10:00:01. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stays where it is put; tests move it. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** The calendar day (YYYY-MM-DD) of an instant in a zone: business days are local. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The instant local midnight of `day` (YYYY-MM-DD) begins in `timeZone`. */
export function localMidnight(day: string, timeZone: string): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  // The zone's offset at that moment (Asia/Shanghai: +8 h, no DST); twice to settle near a DST change.
  let at = utcMidnight;
  for (let i = 0; i < 2; i++) {
    const local = new Date(at.toLocaleString('en-US', { timeZone }));
    const utc = new Date(at.toLocaleString('en-US', { timeZone: 'UTC' }));
    at = new Date(utcMidnight.getTime() - (local.getTime() - utc.getTime()));
  }
  return at;
}

/** An instant as the API writes it (ISO 8601, UTC). */
export const iso = (at: Date | string): string => new Date(at).toISOString();
