/**
 * ATRIP's answer table (shared/atrip/stop-ticket.md), story by story, in each browser against the
 * sandbox: each scenario ends as ATRIP decided, with one notification, and the request log shows
 * what was sent. The scenarios run at once in one browser launch; each `it` waits for its own.
 * Then: Check again from the popup and the page; the stop goes out before any badge, title or
 * notification call, and still goes out when those APIs throw; an API that never answers.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ORDERS, RATE_LIMIT_RETRY_AFTER_SECONDS, SCENARIOS, type ScenarioName } from '../../sandbox/catalogue';
import type { RecordedRequest } from '../../sandbox/server';
import type { HistoryEntry } from '../../../utils/shared/logic/record';
import { PRUNE_ALARM } from '../../../utils/background/logic/retention';
import {
  breakToolbarAndNotifications,
  clickButton,
  controlHost,
  controlText,
  failedUiCalls,
  openPortalPage,
  popupRow,
  stopFromPage,
  traceBackgroundCalls,
  tracedCalls,
  waitForControlState,
  waitForPopupRow,
  type DriverPage,
  type ExtensionDriver,
  type StoredRecord,
} from '../driver';
import { launchDriver } from '../launch';
import { expectNoExtensionErrors, launchForBlock } from './story-helpers';

const browserName = inject('e2eBrowser');
const STOP = '/stopTicket.do';
const QUERY = '/queryOrderDetails.do';
/** The drivers' default settings: checks every 2 s, a 1-minute deadline. */
const DEADLINE_MS = 60_000;

type Ending = 'intercepted' | 'issued' | 'refused' | 'error' | 'unknown';

interface Story {
  scenario: ScenarioName;
  end: Ending;
  /** stopTicket.do calls in the sandbox's log: exactly, or [at least, at most]. */
  stops: number | [number, number];
  /** queryOrderDetails.do calls: at least. */
  minLookups?: number;
  /** Why it ended (the record's endReason). */
  why?: string;
  /** The order of the first calls in the log. */
  firstCalls?: string[];
  /** More that the story must show. */
  also?: (record: StoredRecord, stops: RecordedRequest[], calls: RecordedRequest[]) => void;
  /** Stopped with a real click and confirmation on the portal page. */
  fromPage?: boolean;
  timeoutMs?: number;
}

const entries = (record: StoredRecord): HistoryEntry[] => record.history;
const callEntries = (record: StoredRecord) => entries(record).filter((e) => ['stop', 'lookup', 'check', 'checkAgain'].includes(e.step));
/** ATRIP took the stop (status 0) before the outcome: the order went through `intercepting`. */
const acceptedFirst = (r: StoredRecord) => expect(callEntries(r)[0]).toMatchObject({ step: 'stop', status: 0, reading: 'accepted', decision: { kind: 'check' } });

const STORIES: Story[] = [
  {
    scenario: 'intercept',
    end: 'intercepted',
    stops: 1,
    minLookups: 1,
    firstCalls: [STOP, QUERY],
    also: (r) => {
      acceptedFirst(r);
      expect(callEntries(r).at(-1)).toMatchObject({ step: 'check', orderStatus: '-3', reading: 'intercepted', decision: { kind: 'final', state: 'intercepted' } });
    },
  },
  {
    scenario: 'issue',
    end: 'issued',
    stops: 1,
    minLookups: 1,
    firstCalls: [STOP, QUERY],
    also: (r) => {
      acceptedFirst(r);
      expect(callEntries(r).at(-1)).toMatchObject({ step: 'check', orderStatus: '2', reading: 'issued', decision: { kind: 'final', state: 'issued' } });
    },
  },
  { scenario: 'alreadyIssued', end: 'issued', stops: 1, minLookups: 1 },
  { scenario: 'unpaid', end: 'refused', stops: 1, why: 'refused', also: (r) => expect(r).toMatchObject({ lastStatus: 801 }) },
  { scenario: 'slow', end: 'intercepted', stops: 1, minLookups: 1 },
  {
    // HTTP 500 (an HTML page) on the stop: it may have arrived, so the order is looked up (still
    // undecided) before the stop goes again; then checks until -3.
    scenario: 'flaky',
    end: 'intercepted',
    stops: 2,
    firstCalls: [STOP, QUERY, STOP],
    also: (r) => {
      expect(callEntries(r)[0]).toMatchObject({ step: 'stop', failure: { kind: 'http', httpStatus: 500 }, reached: 'maybe' });
      expect(entries(r).map((e) => [e.step, e.reading ?? e.failure?.kind, e.decision?.kind])).toEqual([
        ['start', undefined, 'send'],
        ['stop', 'http', 'lookup'],
        ['lookup', 'undecided', 'resend'],
        ['stop', 'accepted', 'check'],
        ...entries(r)
          .slice(4)
          .map(() => ['check', expect.anything(), expect.anything()]),
      ]);
      expect(entries(r).at(-1)).toMatchObject({ step: 'check', reading: 'intercepted' });
    },
  },
  // orderStatus inside `data` as a string, and at the top level as a number: both decide.
  { scenario: 'dataShape', end: 'intercepted', stops: 1, also: (r) => expect(r.orderStatus).toBe('-3') },
  { scenario: 'numericStatus', end: 'issued', stops: 1, also: (r) => expect(r.orderStatus).toBe('2') },
  { scenario: 'orderListShape', end: 'intercepted', stops: 1 },
  {
    scenario: 'rateLimited',
    end: 'intercepted',
    stops: 1,
    minLookups: 2,
    also: (r) => expect(entries(r).some((e) => e.failure?.kind === 'rate-limited' && e.failure.retryAfterSeconds === 1)).toBe(true),
  },
  {
    // A proxy's HTML page: the stop may have arrived, so it is never re-sent blind and never "error".
    scenario: 'garbage',
    end: 'unknown',
    why: 'may-have-arrived',
    stops: 1,
    minLookups: 3,
    timeoutMs: DEADLINE_MS + 60_000,
    also: (r) => expect(r.failure).toMatchObject({ kind: 'malformed', reason: 'not-json', excerpt: '<html>Service Unavailable</html>' }),
  },
  {
    scenario: 'noStatus',
    end: 'unknown',
    why: 'may-have-arrived',
    stops: 1,
    minLookups: 3,
    timeoutMs: DEADLINE_MS + 60_000,
    also: (r) => expect(r.failure).toMatchObject({ kind: 'malformed', reason: 'no-status' }),
  },
  {
    // 905: certainly not taken, so sent again at once after the back-off, without a look-up.
    scenario: 'tooFrequentOnce',
    end: 'intercepted',
    stops: 2,
    firstCalls: [STOP, STOP, QUERY],
    also: (r) => expect(callEntries(r)[0]).toMatchObject({ step: 'stop', status: 905, reading: 'too-frequent', reached: 'no', decision: { kind: 'resend' } }),
  },
  {
    // 9999 may strike after the stop was registered: look up first, then re-send.
    scenario: 'systemErrorOnce',
    end: 'intercepted',
    stops: 2,
    firstCalls: [STOP, QUERY, STOP],
    also: (r) => expect(callEntries(r)[0]).toMatchObject({ status: 9999, reading: 'system-error', reached: 'maybe', decision: { kind: 'lookup' } }),
  },
  {
    scenario: 'stopStatus2Once',
    end: 'issued',
    stops: 2,
    firstCalls: [STOP, QUERY, STOP],
    also: (r) => expect(callEntries(r)[0]).toMatchObject({ status: 2, reading: 'system-error', reached: 'maybe' }),
  },
  {
    // The outcomes issue's story: the answer is lost, a look-up says undecided, the repeat is
    // refused (809) while ATRIP intercepts — the agent must be told "intercepted", never "refused".
    scenario: 'lostAnswer',
    end: 'intercepted',
    stops: 2,
    firstCalls: [STOP, QUERY, STOP, QUERY],
    fromPage: true,
    also: (r) => {
      expect(callEntries(r).slice(0, 3)).toMatchObject([
        { step: 'stop', failure: { kind: 'network' }, reached: 'maybe', decision: { kind: 'lookup' } },
        { step: 'lookup', status: 0, orderStatus: '1', reading: 'undecided', decision: { kind: 'resend' } },
        { step: 'stop', status: 809, reading: 'repeat-refused', decision: { kind: 'lookup' } },
      ]);
      expect(r).toMatchObject({ noMoreSends: true, lastStatus: 809 });
    },
  },
  {
    scenario: 'queryTimeout705',
    end: 'intercepted',
    stops: 1,
    minLookups: 4,
    also: (r) => expect(callEntries(r).filter((e) => e.status === 705 && e.reading === 'query-status')).toHaveLength(3),
  },
  {
    scenario: 'queryNotFound800',
    end: 'issued',
    stops: 1,
    minLookups: 4,
    also: (r) => expect(callEntries(r).filter((e) => e.status === 800 && e.reading === 'query-status')).toHaveLength(3),
  },
  {
    // 429 with retryAfter: held before the second stop, and no look-up (the gateway rejected it).
    scenario: 'rateLimitedStop',
    end: 'intercepted',
    stops: 2,
    firstCalls: [STOP, STOP, QUERY],
    also: (_r, stops) => expect(stops[1]!.at - stops[0]!.at).toBeGreaterThanOrEqual(RATE_LIMIT_RETRY_AFTER_SECONDS * 1000),
  },
  { scenario: 'oddFields', end: 'intercepted', stops: 1, also: (r) => expect(r.orderStatus).toBe('-3') },
  {
    // Never sendable: every stop answered 905 until the deadline; ATRIP certainly never got one.
    scenario: 'tooFrequentForever',
    end: 'error',
    why: 'never-received',
    stops: [5, 40],
    timeoutMs: DEADLINE_MS + 60_000,
    also: (r, stops, calls) => {
      expect(calls.filter((c) => c.path === QUERY)).toHaveLength(0);
      expect(callEntries(r).every((e) => e.step === 'stop' && e.status === 905)).toBe(true);
      expect(r.finishedAt as number).toBeGreaterThanOrEqual((r.requestedAt as number) + DEADLINE_MS);
      expect(stops.at(-1)!.at).toBeGreaterThanOrEqual((r.requestedAt as number) + DEADLINE_MS - 1000); // the last try at the deadline
    },
  },
];

/** Orders that ATRIP decides only after the deadline, for "Check again" (from the popup and from the page). */
const LATE_FROM_POPUP = SCENARIOS.pending;
const LATE_FROM_PAGE = ORDERS.find((o) => o.scenario === null && o.outcome === '2')!.orderNo;

/** The notifications the spy saw for an order: exactly one per outcome, lasting where the browser can. */
async function expectOneNotification(h: ExtensionDriver, orderNo: string) {
  const created = (await h.createdNotifications()).filter((n) => n.id === orderNo);
  expect(created).toHaveLength(1);
  expect(created[0]!.options).toMatchObject({ type: 'basic' });
  expect(created[0]!.options.message).toContain(orderNo);
  expect(created[0]!.options.requireInteraction).toBe(h.capabilities.lastingNotifications ? true : undefined);
  // A lasting notification is still there for the agent; Firefox's has gone by itself meanwhile.
  if (h.capabilities.lastingNotifications) expect(await h.notificationIds()).toContain(orderNo);
}

describe(`[${browserName}] ATRIP's answer table, every scenario at once`, () => {
  let h: ExtensionDriver;
  let page: DriverPage;
  const measured: { scenario: string; state: string; stops: number; lookups: number }[] = [];

  beforeAll(async () => {
    // The notification spy must see the whole run: the background may not idle out meanwhile.
    // English UI whatever the machine's language: the story reads the notifications' titles.
    h = await launchDriver(browserName, { locale: 'en-US', sandbox: { slowReplyMs: 3000 }, backgroundStaysUp: true });
    await h.spyOnNotifications();
    page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/list`, SCENARIOS.intercept);
    // Never decided by ATRIP before the deadline: they end unknown, then ATRIP decides.
    h.sandbox.setOrderStatus(LATE_FROM_PAGE, '1');
    for (const story of STORIES) {
      const orderNo = SCENARIOS[story.scenario];
      if (story.fromPage) await stopFromPage(page, orderNo);
      else expect(await h.send({ type: 'stop', orderNo })).toMatchObject({ ok: true, record: { state: 'requesting', orderNo } });
    }
    expect(await h.send({ type: 'stop', orderNo: LATE_FROM_POPUP })).toMatchObject({ ok: true, record: { state: 'requesting' } });
    await stopFromPage(page, LATE_FROM_PAGE);
  });
  afterAll(async () => {
    if (measured.length > 0) {
      console.log(`\n[${browserName}] scenario → final state, stop calls, look-ups\n${measured.map((m) => `| ${m.scenario} | ${m.state} | ${m.stops} | ${m.lookups} |`).join('\n')}`);
    }
    await h?.close();
  });

  it.each(STORIES)('$scenario ends $end', { timeout: DEADLINE_MS + 90_000 }, async (story) => {
    const orderNo = SCENARIOS[story.scenario];
    const record = await h.waitFor(orderNo, (r) => r.state === story.end && r.notified === true, story.timeoutMs ?? 45_000, `${story.end}, notified`);
    const calls = h.sandbox.callsFor(orderNo);
    const stops = h.sandbox.callsFor(orderNo, STOP);
    const lookups = h.sandbox.callsFor(orderNo, QUERY);
    measured.push({ scenario: story.scenario, state: record.state, stops: stops.length, lookups: lookups.length });

    // The request log.
    if (typeof story.stops === 'number') expect(stops).toHaveLength(story.stops);
    else {
      expect(stops.length).toBeGreaterThanOrEqual(story.stops[0]);
      expect(stops.length).toBeLessThanOrEqual(story.stops[1]);
    }
    expect(lookups.length).toBeGreaterThanOrEqual(story.minLookups ?? 0);
    if (story.firstCalls) expect(calls.slice(0, story.firstCalls.length).map((c) => c.path)).toEqual(story.firstCalls);
    if (story.why) expect(record.endReason).toBe(story.why);

    // The history accounts for every call of the log, and no stop ever follows a look-up that was
    // not an undecided status 0, nor a stop answer that was not "certainly not taken".
    const logged = callEntries(record);
    // A long history keeps its first and latest entries (HISTORY_LIMIT): what it dropped from the
    // middle is counted. Firefox fires 2-second alarms on time, so a minute of retries comes near it.
    const dropped = (record.historyDropped as number | undefined) ?? 0;
    expect(logged.length + dropped).toBe(stops.length + lookups.length);
    expect(stops.length - logged.filter((e) => e.step === 'stop').length).toBeGreaterThanOrEqual(0);
    expect(stops.length - logged.filter((e) => e.step === 'stop').length).toBeLessThanOrEqual(dropped);
    if (dropped === 0) {
      expect(logged.filter((e) => e.step === 'stop')).toHaveLength(stops.length);
      expect(logged.filter((e) => e.step !== 'stop')).toHaveLength(lookups.length);
    }
    logged.forEach((entry, i) => {
      if (entry.step !== 'stop' || i === 0) return;
      const before = logged[i - 1]!;
      if (before.step === 'stop') expect(before.reached, `stop #${i} re-sent after ${JSON.stringify(before)}`).toBe('no');
      else expect(before, `stop #${i} re-sent after a look-up`).toMatchObject({ step: 'lookup', status: 0, reading: 'undecided' });
    });
    // After ATRIP refused a repeat, not one more stop.
    const refusedRepeat = logged.findIndex((e) => e.reading === 'repeat-refused');
    if (refusedRepeat >= 0) expect(logged.slice(refusedRepeat + 1).some((e) => e.step === 'stop')).toBe(false);

    // Exactly one notification, the one of this outcome; no wake-up left.
    await expectOneNotification(h, orderNo);
    expect((await h.alarms()).map((a) => a.name)).not.toContain(`check:${orderNo}`);
    if (story.fromPage) await waitForControlState(page, orderNo, story.end, 10_000);
    story.also?.(record, stops, calls);
  });

  it('Check again on an unknown order that ATRIP decides later: the outcome in popup and page, one notification, one look-up, no stop', { timeout: DEADLINE_MS + 90_000 }, async () => {
    for (const orderNo of [LATE_FROM_POPUP, LATE_FROM_PAGE]) {
      // ATRIP never decided: checked all along, still "1", unknown at the deadline (not before).
      const unknown = await h.waitFor(orderNo, (r) => r.state === 'unknown' && r.notified === true, DEADLINE_MS + 60_000, 'unknown, notified');
      expect(unknown).toMatchObject({ endReason: 'undecided', orderStatus: '1' });
      expect(unknown.checks).toBeGreaterThanOrEqual(5);
      expect(unknown.finishedAt as number).toBeGreaterThanOrEqual((unknown.acceptedAt as number) + DEADLINE_MS);
      expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
      await expectOneNotification(h, orderNo); // the "unknown" one
    }
    // The in-page control of an unknown order offers Check again.
    await waitForControlState(page, LATE_FROM_PAGE, 'unknown', 10_000);
    h.sandbox.setOrderStatus(LATE_FROM_POPUP, '-3');
    h.sandbox.setOrderStatus(LATE_FROM_PAGE, '2');
    const before = (orderNo: string) => ({
      stops: h.sandbox.callsFor(orderNo, STOP).length,
      lookups: h.sandbox.callsFor(orderNo, QUERY).length,
    });
    const counts = { [LATE_FROM_POPUP]: before(LATE_FROM_POPUP), [LATE_FROM_PAGE]: before(LATE_FROM_PAGE) };

    const popup = await h.openExtensionPage('popup.html');
    await popup.setViewport(420, 600);
    await waitForPopupRow(popup, LATE_FROM_POPUP, 'unknown');
    await clickButton(popup, { within: popupRow(LATE_FROM_POPUP), name: /^Check again$/ });
    await clickButton(page, { host: controlHost(LATE_FROM_PAGE), name: /Check order .* again/ });
    for (const [orderNo, end] of [
      [LATE_FROM_POPUP, 'intercepted'],
      [LATE_FROM_PAGE, 'issued'],
    ] as const) {
      const record = await h.waitFor(orderNo, (r) => r.state === end && r.notified === true, 20_000, `${end} after Check again`);
      expect(entries(record).at(-1)).toMatchObject({ step: 'checkAgain', reading: end, decision: { kind: 'final', state: end } });
      await waitForPopupRow(popup, orderNo, end, 10_000);
      await waitForControlState(page, orderNo, end, 10_000);
      expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(counts[orderNo]!.stops);
      expect(h.sandbox.callsFor(orderNo, QUERY)).toHaveLength(counts[orderNo]!.lookups + 1);
      const created = (await h.createdNotifications()).filter((n) => n.id === orderNo);
      expect(created).toHaveLength(2);
      expect(created[1]!.options.title).toBe(end === 'intercepted' ? 'Ticket issuance stopped ✓' : 'Ticket already issued ✗');
      expect(created[1]!.options.requireInteraction).toBe(h.capabilities.lastingNotifications ? true : undefined);
    }
    expect(await controlText(page, LATE_FROM_PAGE)).toContain('issued');
    await popup.close();
    await expectNoExtensionErrors(h);
  });
});

describe(`[${browserName}] the stop goes out first`, () => {
  let h: ExtensionDriver;
  launchForBlock((driver) => (h = driver), { backgroundStaysUp: true });

  it('the stop request leaves before any badge, title or notification call is even made', async () => {
    // The background's own start sets the badge too, once, at the end of its reconcile (which
    // schedules the daily prune last): traced before that, the start's badge call would come
    // first whenever the browser started slowly. The trace covers the stop's calls only.
    await expect.poll(async () => (await h.alarms()).map((a) => a.name), { timeout: 15_000 }).toContain(PRUNE_ALARM);
    await traceBackgroundCalls(h);
    const orderNo = SCENARIOS.issue;
    await h.send({ type: 'stop', orderNo });
    await h.waitFor(orderNo, (r) => r.state === 'issued' && r.notified === true, 30_000, 'issued, notified');
    const order = await tracedCalls(h);
    expect(order[0]).toBe('fetch stopTicket.do');
    expect(order).toEqual(expect.arrayContaining(['notifications.clear', 'setBadgeText', 'setTitle', 'notifications.create']));
    expect(order.filter((name) => name === 'fetch stopTicket.do')).toHaveLength(1);
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
  });

  it('badge, title and notification APIs that all throw: the stop still arrives and the order reaches its outcome', async () => {
    await breakToolbarAndNotifications(h);
    const orderNo = SCENARIOS.intercept;
    expect(await h.send({ type: 'stop', orderNo })).toMatchObject({ ok: true, record: { state: 'requesting' } });
    const record = await h.waitForState(orderNo, 'intercepted', 30_000);
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    // The outcome stands; the notification could not be made, so it is still owed (the next wake retries).
    expect(record.notified).toBe(false);
    // Every patched API was really called (and failed), so this test can fail.
    expect(new Set(await failedUiCalls(h))).toEqual(new Set(['setBadgeText', 'setTitle', 'setBadgeBackgroundColor', 'notifications.create', 'notifications.clear']));
    await expectNoExtensionErrors(h);
  });
});

describe(`[${browserName}] an API that never answers`, () => {
  it('a stop that can never be sent (the API unreachable all along) ends error by its deadline, never before, never re-sent blind', { timeout: DEADLINE_MS + 90_000 }, async () => {
    const h = await launchDriver(browserName, { backgroundStaysUp: true });
    try {
      await h.spyOnNotifications();
      h.sandbox.setOffline(true); // every connection is cut before any reply
      const orderNo = SCENARIOS.intercept;
      expect(await h.send({ type: 'stop', orderNo })).toMatchObject({ ok: true, record: { state: 'requesting' } });
      const record = await h.waitFor(orderNo, (r) => r.state === 'error' && r.notified === true, DEADLINE_MS + 60_000, 'error, notified');
      expect(record.endReason).toBe('unreachable');
      expect(record.finishedAt as number).toBeGreaterThanOrEqual((record.requestedAt as number) + DEADLINE_MS);
      // One stop, then look-ups only: a stop without an answer is never re-sent blind.
      expect(callEntries(record).filter((e) => e.step === 'stop')).toHaveLength(1);
      expect(callEntries(record).filter((e) => e.step === 'lookup').length).toBeGreaterThanOrEqual(3);
      expect(callEntries(record).every((e) => e.failure?.kind === 'network')).toBe(true);
      const created = (await h.createdNotifications()).filter((n) => n.id === orderNo);
      expect(created).toHaveLength(1);
      expect(created[0]!.options.requireInteraction).toBe(h.capabilities.lastingNotifications ? true : undefined);
      await expectNoExtensionErrors(h);
    } finally {
      await h.close();
    }
  });
});
