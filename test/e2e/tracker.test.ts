// The worker killed mid-wait and the browser restart are two-browser stories now: stories/lifecycle.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from './harness';
import { SCENARIOS } from '../sandbox/catalogue';

const STOP = '/stopTicket.do';
const QUERY = '/queryOrderDetails.do';

describe('background tracker in headless Chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.launch({ sandbox: { slowReplyMs: 3000 } });
  });
  afterAll(() => h?.close());
  beforeEach(() => h.sandbox.reset());

  it.each([
    [SCENARIOS.intercept, 'intercepted'],
    [SCENARIOS.issue, 'issued'],
  ])('%s ends %s with exactly one lasting notification', async (orderNo, state) => {
    await h.spyOnNotifications();
    const reply = await h.send({ type: 'stop', orderNo });
    expect(reply).toMatchObject({ ok: true, record: { state: 'requesting', orderNo } });
    await h.waitForState(orderNo, 'intercepting');
    await h.waitForState(orderNo, state, 20_000);
    const record = await h.waitFor(orderNo, (r) => r.notified === true);
    expect(record.state).toBe(state);
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    const created = (await h.createdNotifications()).filter((n) => n.id === orderNo);
    expect(created).toHaveLength(1);
    expect(created[0]!.options).toMatchObject({ requireInteraction: true, type: 'basic' });
    expect(created[0]!.options.message).toContain(orderNo);
    expect(await h.notificationIds()).toContain(orderNo);
    expect((await h.alarms()).map((a) => a.name)).not.toContain(`check:${orderNo}`);
  });

  it('a double stop makes one API call', async () => {
    const orderNo = SCENARIOS.pending;
    const [first, second] = await Promise.all([h.send({ type: 'stop', orderNo }), h.send({ type: 'stop', orderNo })]);
    expect(first.ok && second.ok).toBe(true);
    await h.waitForState(orderNo, 'intercepting');
    expect(await h.send({ type: 'stop', orderNo })).toMatchObject({ ok: true, record: { state: 'intercepting' } });
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    await h.send({ type: 'remove', orderNo });
  });

  it('HTTP 500 once, then the order is looked up before a re-send, and ends right', async () => {
    const orderNo = SCENARIOS.flaky;
    await h.send({ type: 'stop', orderNo });
    const record = await h.waitForState(orderNo, 'intercepted', 30_000);
    const calls = h.sandbox.callsFor(orderNo).map((r) => r.path);
    // 500 on the stop; a look at the order (still undecided); the stop again; checks until -3.
    expect(calls.slice(0, 3)).toEqual([STOP, QUERY, STOP]);
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(2);
    expect(record.history.map((e) => [e.step, e.reading ?? e.failure?.kind, e.decision?.kind])).toEqual([
      ['start', undefined, 'send'],
      ['stop', 'http', 'lookup'],
      ['lookup', 'undecided', 'resend'],
      ['stop', 'accepted', 'check'],
      ...record.history.slice(4).map(() => ['check', expect.anything(), expect.anything()]),
    ]);
    expect(record.history.at(-1)).toMatchObject({ step: 'check', reading: 'intercepted' });
  });

  it('a refused stop ends refused with ATRIP msg and no retry', async () => {
    const orderNo = SCENARIOS.unpaid;
    await h.send({ type: 'stop', orderNo });
    const record = await h.waitForState(orderNo, 'refused');
    expect(record.lastMessage).toContain('unpaid');
    await new Promise((r) => setTimeout(r, 2500));
    expect(h.sandbox.callsFor(orderNo)).toHaveLength(1);
    expect(await h.notificationIds()).toContain(orderNo);
  });

  it('the worker killed during the stop request: resolved by a look at the order, never lost', async () => {
    const orderNo = SCENARIOS.slow; // every reply takes 3 s: the worker dies before the answer
    await h.send({ type: 'stop', orderNo });
    await h.waitForState(orderNo, 'requesting');
    await new Promise((r) => setTimeout(r, 500));
    await h.killWorker();
    // The outcome is written first, its notification right after: wait for both.
    const record = await h.waitFor(orderNo, (r) => r.state === 'intercepted' && r.notified === true, 60_000);
    // The first answer was lost with the worker: the order was looked up before anything else.
    expect(record.history.slice(0, 3)).toMatchObject([
      { step: 'start' },
      { step: 'answerLost', reached: 'maybe' },
      { step: 'lookup', reading: expect.stringMatching(/^(undecided|intercepted)$/) },
    ]);
    expect(await h.notificationIds()).toContain(orderNo);
  }, 90_000);
});

describe('deadline', () => {
  it('an order ATRIP never decides ends unknown at the deadline', async () => {
    const h = await Harness.launch({ settings: { firstCheckSeconds: 2, recheckSeconds: 10, deadlineMinutes: 1 } });
    try {
      const orderNo = SCENARIOS.pending;
      await h.send({ type: 'stop', orderNo });
      const record = await h.waitForState(orderNo, 'unknown', 90_000);
      expect(record.checks).toBeGreaterThanOrEqual(5);
      expect(record.orderStatus).toBe('1');
      expect(await h.notificationIds()).toContain(orderNo);
    } finally {
      await h.close();
    }
  }, 150_000);
});
