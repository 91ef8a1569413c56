/** Time and countdown formatting for the popup and the CSV export (pure: the caller passes locale and now). */

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A countdown in `m:ss` (or `h:mm:ss` from one hour up), rounded up to the next whole second so
 * that it reads `0:01` until the moment is reached, then `0:00`.
 */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${pad2(minutes)}:${pad2(seconds)}` : `${minutes}:${pad2(seconds)}`;
}

/** The Intl locale of the UI language (`zh` → Chinese, anything else → English), always 24-hour. */
export function intlLocale(lang: 'zh' | 'en'): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withDate}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      ...(withDate && { month: 'short', day: 'numeric' }),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f;
}

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** A moment for the popup: the time alone when it is today, else the date and time (local time). */
export function formatMoment(at: number, now: number, locale: string): string {
  const date = new Date(at);
  return formatter(locale, !sameDay(date, new Date(now))).format(date);
}

/** `yyyy-MM-dd HH:mm:ss` in local time, which Excel reads as a date; empty when there is no moment. */
export function formatSortable(at: number | undefined): string {
  if (at === undefined) return '';
  const d = new Date(at);
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`
  );
}

/** `yyyyMMdd-HHmmss` in local time, for file names. */
export function formatFileStamp(at: number): string {
  return formatSortable(at).replace(/-/g, '').replace(' ', '-').replace(/:/g, '');
}
