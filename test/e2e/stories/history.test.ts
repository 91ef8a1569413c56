/**
 * An order's history in the popup, in each browser and in both UI languages: a multi-step order
 * (the sandbox's `flaky`: the stop answers HTTP 500, a look-up finds it undecided, the stop goes
 * again and is accepted, checks until -3) shows every step with its local time, ATRIP's status and
 * msg verbatim, what went wrong and what was decided, behind a keyboard-operable disclosure.
 * The notification click of that order, with no tab on it, opens its detail page on the portal
 * where it was stopped, in the UI language.
 */
import { describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import { STOP_ACCEPTED_MSG as ACCEPTED_MSG, STOP_OK_MESSAGE } from '../../sandbox/atrip-api';
import { eventually, openPortalPage, stopFromPage, waitForPopupRow, type DriverPage } from '../driver';
import { launchDriver } from '../launch';
import { expectNoExtensionErrors, keepScreenshot, keepChromiumScreenshot } from './story-helpers';

const browserName = inject('e2eBrowser');
const STOP = '/stopTicket.do';
const QUERY = '/queryOrderDetails.do';

const pad2 = (n: number) => String(n).padStart(2, '0');
/** The local time of day the popup shows for a moment of today (this machine's time zone, as the browser's). */
const localTime = (at: number) => {
  const d = new Date(at);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
};

/** Opens the row's history with the keyboard (focus, Enter) and returns its steps' text. */
async function openHistory(popup: DriverPage, orderNo: string, label: RegExp): Promise<{ expanded: string | null; steps: string[] }> {
  const focusButton = () =>
    eventually(
      () =>
        popup.evaluate(
          ({ orderNo, source }) => {
            const button = [...document.querySelectorAll<HTMLButtonElement>(`[data-order-no="${orderNo}"] button`)].find((b) =>
              new RegExp(source).test(b.textContent ?? ''),
            );
            button?.focus();
            return document.activeElement === button && button !== undefined;
          },
          { orderNo, source: label.source },
        ),
      Boolean,
      `the history button of ${orderNo}`,
    );
  const expandedNow = () => popup.evaluate(() => document.activeElement?.getAttribute('aria-expanded') ?? null, undefined);
  // Firefox gives the focus to each notification's alert window as it opens, and a key press sent
  // then is lost (the driver's `press` brings the page back in front first, but an alert can still
  // open in between): press again only while the disclosure is still closed (a second press would
  // close it).
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await focusButton();
    await popup.press('Enter');
    const opened = await eventually(expandedNow, (v) => v === 'true', 'the history to open', 3_000).catch(() => null);
    if (opened === 'true') break;
  }
  return eventually(
    () =>
      popup.evaluate((orderNo) => {
        const row = document.querySelector(`[data-order-no="${orderNo}"]`)!;
        const button = document.activeElement as HTMLElement | null;
        const list = row.querySelector('ol.history');
        return {
          expanded: button?.getAttribute('aria-expanded') ?? null,
          controls: button?.getAttribute('aria-controls') ?? null,
          listId: list?.id ?? null,
          steps: [...(list?.querySelectorAll('li') ?? [])].map((li) => li.textContent ?? ''),
        };
      }, orderNo),
    (v) => v.steps.length > 0 && v.controls === v.listId,
    `the history of ${orderNo}`,
  );
}

const LANGUAGES = [
  {
    locale: 'en',
    label: /History/,
    expected: (at: number[]) => [
      [localTime(at[0]!), 'Stop requested', 'the request leaves now'],
      [localTime(at[1]!), 'Stop request sent to ATRIP', 'HTTP 500 from the API', 'ATRIP may have received the stop', 'before any re-send'],
      [localTime(at[2]!), 'Order looked up', 'order status 1: not decided yet', 'still undecided: send the stop again now'],
      [localTime(at[3]!), 'Stop request sent to ATRIP', `ATRIP: status 0, “${ACCEPTED_MSG}”`, 'next check at'],
    ],
    last: ['Result check', 'order status -3: intercepted, no ticket issued', "final: Intercepted — ATRIP's order status"],
    urlLang: 'en',
  },
  {
    locale: 'zh-CN',
    label: /处理记录/,
    expected: (at: number[]) => [
      [localTime(at[0]!), '提交停止出票', '立即发送请求'],
      [localTime(at[1]!), '向 ATRIP 发送停止出票请求', '接口返回 HTTP 500', 'ATRIP 可能已收到该停止请求', '核实后再决定是否重发'],
      [localTime(at[2]!), '查询订单（重发前核实）', '订单状态 1：尚无结果', '订单仍未决定：立即重新发送停止请求'],
      // ATRIP's msg as ATRIP wrote it (English), inside the Chinese words.
      [localTime(at[3]!), '向 ATRIP 发送停止出票请求', `ATRIP：状态 0，“${ACCEPTED_MSG}”`, '查询结果'],
    ],
    last: ['查询拦截结果', '订单状态 -3：拦截成功，未出票', '最终结果：拦截成功。依据 ATRIP 的订单状态'],
    urlLang: 'zh',
  },
] as const;

describe.each(LANGUAGES)(`[${browserName}] an order's history in the popup ($locale UI)`, ({ locale, label, expected, last, urlLang }) => {
  it('shows each step with its local time, ATRIP verbatim and the decisions; the notification opens the order in that language', async () => {
    const h = await launchDriver(browserName, { locale });
    try {
      const orderNo = SCENARIOS.flaky;
      const list = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/list`, orderNo);
      await stopFromPage(list, orderNo);
      const record = await h.waitFor(orderNo, (r) => r.state === 'intercepted' && r.notified === true, 45_000, 'intercepted and notified');
      // The sandbox saw what the history will tell: a stop (500), a look-up, a stop again, checks.
      expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(2);
      expect(h.sandbox.callsFor(orderNo, QUERY).length).toBeGreaterThanOrEqual(2);
      expect(record.history.map((e) => e.step)).toEqual(['start', 'stop', 'lookup', 'stop', ...record.history.slice(4).map(() => 'check')]);

      const popup = await h.openExtensionPage('popup.html');
      await popup.setViewport(420, 900);
      await waitForPopupRow(popup, orderNo, 'intercepted');
      const { expanded, steps } = await openHistory(popup, orderNo, label);
      expect(expanded).toBe('true');
      expect(steps).toHaveLength(record.history.length);
      const want = expected(record.history.map((e) => e.at));
      want.forEach((parts, i) => {
        expect(steps[i]!.startsWith(parts[0]!)).toBe(true);
        for (const part of parts) expect(steps[i]).toContain(part);
      });
      for (const part of last) expect(steps.at(-1)).toContain(part);
      expect(steps.at(-1)!.startsWith(localTime(record.history.at(-1)!.at))).toBe(true);
      if (locale === 'zh-CN') {
        // Nothing of the English UI left; only ATRIP's msg is in English.
        const text = steps.join('\n').replace(ACCEPTED_MSG, '').replace(STOP_OK_MESSAGE, '');
        expect(text).not.toMatch(/Stop|order status|final|check|look|HTTP 500 from/);
      }
      await keepScreenshot(h, popup, `popup-history-${urlLang}`);
      await keepChromiumScreenshot(h, popup, `popup-history-${urlLang}`);

      // No tab shows the order: the click opens its detail page on the sandbox portal, in the UI language.
      const before = await h.tabs();
      await h.clickNotification(orderNo);
      const url = `${h.sandbox.url}/portal/#/order/detail/${orderNo}/${urlLang}`;
      const after = await eventually(() => h.tabs(), (tabs) => tabs.some((t) => t.url === url && t.active), `an active tab on ${url}`);
      expect(after).toHaveLength(before.length + 1);
      await eventually(() => h.notificationIds(), (ids) => !ids.includes(orderNo), 'the notification cleared');
      await popup.close();
      await list.close();
      await expectNoExtensionErrors(h);
    } finally {
      await h.close();
    }
  }, 120_000);
});
