// @vitest-environment happy-dom
/** The in-page control's view as a whole (components/control): StopControl's states, confirmation and activation checks, and the multi-select bar. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/dom';
import { StopControl } from '@/components/control/StopControl';
import { CONFIRM_DELAY_MS } from '@/utils/content/activation';
import { SelectionBar } from '@/components/control/SelectionBar';
import type { PageStore } from '@/utils/content/logic/page-store';
import { fakeStore, record, tick, translate, trustedClick, untrustedClick, type FakeDeps } from './control-fixtures';

// happy-dom lays nothing out (no boxes, no hit-testing): the visibility verdict is tested on its own
// (visibility.test.ts) and in the browsers (test/e2e/stories/hostile-page.test.ts).
vi.mock('@/utils/content/visibility', async (original) => ({
  ...(await original<typeof import('@/utils/content/visibility')>()),
  judgeVisibility: () => null,
}));


const A = 'TESTA20261126090000001';
const B = 'TESTA20261126090000002';

/** Views made by the test, taken away after it. */
const made: { dispose(): void }[] = [];

afterEach(() => {
  for (const view of made.splice(0)) view.dispose();
  document.body.innerHTML = '';
});

function mount(store: PageStore, orderNo = A, options: { isCurrent?: () => boolean; compact?: boolean } = {}) {
  const host = document.createElement('atrip-stop-control');
  host.setAttribute('data-state', 'idle');
  document.body.append(host);
  store.addOccurrence(orderNo);
  const control = new StopControl({
    orderNo,
    store,
    host,
    isCurrent: options.isCurrent ?? (() => true),
    translate,
    lang: 'en',
    pageHref: () => 'http://127.0.0.1:4000/portal/#/order/list',
    compact: options.compact,
  });
  made.push(control);
  host.append(control.element);
  return { host, control };
}

/** Runs a step of the test and lets what it started (a promise, the store's notifications) land. */
async function step(action: () => unknown) {
  await action();
  await tick();
}

/** Lets the store's first storage read and configured check land. */
async function settle() {
  await tick(5);
}

async function openConfirmation(deps: FakeDeps, root: HTMLElement) {
  await step(() => trustedClick(within(root).getByRole('button', { name: /Stop ticketing/ })));
  expect(deps.sent).toEqual([]);
  const confirm = within(root).getByRole('button', { name: /Confirm/ });
  // It takes input only after CONFIRM_DELAY_MS on show (disabled until then).
  expect((confirm as HTMLButtonElement).disabled).toBe(true);
  await tick(CONFIRM_DELAY_MS + 50);
  expect((confirm as HTMLButtonElement).disabled).toBe(false);
  return confirm;
}

describe('StopControl', () => {
  it('starts idle with a "Stop ticketing" button naming the order', async () => {
    const { store } = fakeStore();
    const { host } = mount(store);
    await settle();
    expect(host.getAttribute('data-state')).toBe('idle');
    const button = screen.getByRole('button', { name: /Stop ticketing/ });
    expect(button.getAttribute('aria-label')).toBe(`Stop ticketing of order ${A}`);
    expect(screen.queryByRole('checkbox')).toBeNull(); // one order on the page: no multi-select
  });

  it('ignores an untrusted click (a page script): no confirmation, nothing sent', async () => {
    const { store, deps } = fakeStore();
    const { host } = mount(store);
    await settle();
    await step(() => untrustedClick(screen.getByRole('button', { name: /Stop ticketing/ })));
    await settle();
    expect(screen.queryByRole('button', { name: /Confirm/ })).toBeNull();
    expect(deps.sent).toEqual([]);
    expect(host.getAttribute('data-state')).toBe('idle');
  });

  it('asks for confirmation naming the order; an untrusted confirm sends nothing', async () => {
    const { store, deps } = fakeStore();
    const { host } = mount(store);
    await settle();
    const confirm = await openConfirmation(deps, host);
    expect(host.textContent).toContain(`Stop ticketing of order ${A}?`);
    expect(screen.getByRole('group', { name: `Stop ticketing of order ${A}?` })).toBeTruthy();
    // Focus goes to Cancel: a second Enter does not stop anything.
    expect(document.activeElement?.textContent).toBe('Cancel');
    await step(() => untrustedClick(confirm));
    await settle();
    expect(deps.sent).toEqual([]);
    expect(host.getAttribute('data-state')).toBe('idle');
  });

  it('Escape and Cancel close the confirmation without sending', async () => {
    const { store, deps } = fakeStore();
    const { host } = mount(store);
    await settle();
    await openConfirmation(deps, host);
    const group = screen.getByRole('group');
    group.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(screen.queryByRole('button', { name: /Confirm/ })).toBeNull();
    await openConfirmation(deps, host);
    await step(() => trustedClick(screen.getByRole('button', { name: 'Cancel' })));
    expect(screen.queryByRole('button', { name: /Confirm/ })).toBeNull();
    expect(screen.getByRole('button', { name: /Stop ticketing/ })).toBeTruthy();
    expect(deps.sent).toEqual([]);
  });

  it('confirmed: sends one stop, then follows the stored state with a countdown to the next check', async () => {
    let release!: () => void;
    const { store, deps } = fakeStore();
    const original = deps.reply;
    deps.reply = (request) => new Promise((resolve) => (release = () => resolve(original(request))));
    const { host } = mount(store);
    await settle();
    const confirm = await openConfirmation(deps, host);
    await step(() => trustedClick(confirm));
    expect(deps.sent).toEqual([{ type: 'stop', orderNo: A }]);
    expect(host.getAttribute('data-state')).toBe('requesting');
    expect(host.textContent).toContain('Sending the stop request');
    expect(host.querySelector('.spinner')).not.toBeNull();
    await step(release);
    expect(host.getAttribute('data-state')).toBe('requesting');

    await step(() => deps.change(A, record(A, 'intercepting', { requestedAt: deps.clock, nextCheckAt: deps.clock + 65_000 })));
    expect(host.getAttribute('data-state')).toBe('intercepting');
    expect(host.textContent).toContain('Intercepting… next check in 1:05');
    expect(host.querySelector('[aria-live="polite"]')!.textContent).toContain(`${A}: Intercepting`);

    deps.clock += 70_000;
    await step(() => deps.change(A, record(A, 'intercepting', { requestedAt: 10_000, nextCheckAt: 75_000 })));
    expect(host.textContent).toContain('checking now');

    await step(() => deps.change(A, record(A, 'intercepted', { requestedAt: 10_000 })));
    expect(host.getAttribute('data-state')).toBe('intercepted');
    expect(host.textContent).toContain('✓');
    expect(host.textContent).toContain('Stopped: no ticket issued');
    expect(host.querySelector('[aria-live="polite"]')!.textContent).toBe(`${A}: Stopped: no ticket issued`);
    expect(screen.queryByRole('button')).toBeNull(); // nothing more to stop
    expect(deps.sent).toHaveLength(1);
  });

  it('shows a failed send as an error with a retry that asks again before sending', async () => {
    const { store, deps } = fakeStore();
    deps.reply = () => ({ ok: false, error: 'Could not establish connection' });
    const { host } = mount(store);
    await settle();
    const confirm = await openConfirmation(deps, host);
    await step(() => trustedClick(confirm));
    await settle();
    expect(host.getAttribute('data-state')).toBe('error');
    expect(host.textContent).toContain('Error: Could not establish connection');
    const retry = screen.getByRole('button', { name: /Stop ticketing of order .* again/ });
    expect(retry.textContent).toBe('Retry');
    deps.reply = (request) => ({ ok: true, record: record(A, 'requesting', { requestedAt: 20_000, orderNo: (request as { orderNo: string }).orderNo }) });
    await step(() => trustedClick(retry));
    expect(deps.sent).toHaveLength(1); // a confirmation first
    const again = screen.getByRole('button', { name: /Confirm/ });
    await step(() => trustedClick(again)); // too soon: not on show for CONFIRM_DELAY_MS yet
    expect(deps.sent).toHaveLength(1);
    await tick(CONFIRM_DELAY_MS + 50);
    await step(() => trustedClick(again));
    await settle();
    expect(deps.sent).toEqual([
      { type: 'stop', orderNo: A },
      { type: 'stop', orderNo: A },
    ]);
    expect(host.getAttribute('data-state')).toBe('requesting');
  });

  it.each([
    ['issued', record(A, 'issued'), ['✗', 'Ticket already issued']],
    ['refused', record(A, 'refused', { lastStatus: 801, lastMessage: 'Order not paid' }), ['Refused by ATRIP: Order not paid', 'Retry']],
    ['error', record(A, 'error', { failure: { kind: 'http', httpStatus: 502 } }), ['Error: HTTP 502 from the API', 'Check again', 'Retry']],
    ['error', record(A, 'error', { failure: { kind: 'status', status: 905, msg: 'Too frequent' } }), ['Error: ATRIP status 905: Too frequent']],
    ['error', record(A, 'error', { failure: { kind: 'legacy', text: 'HTTP 500 after 3 attempts' } }), ['Error: HTTP 500 after 3 attempts']],
    ['unknown', record(A, 'unknown'), ['Outcome unknown', 'open the order', 'Check again', 'Retry']],
    ['requesting', record(A, 'requesting'), ['Sending the stop request']],
  ] as const)('renders a stored %s record', async (state, stored, texts) => {
    const { store, deps } = fakeStore();
    deps.stored.set(A, stored);
    const { host } = mount(store);
    await settle();
    expect(host.getAttribute('data-state')).toBe(state);
    for (const text of texts) expect(host.textContent).toContain(text);
    // State found at load is not announced (every control of a long list would speak).
    expect(host.querySelector('[aria-live="polite"]')!.textContent).toBe('');
  });

  it.each(['unknown', 'error'] as const)('checks a %s order again with one look-up, without confirmation or stop', async (state) => {
    const { store, deps } = fakeStore();
    deps.stored.set(A, record(A, state));
    const { host } = mount(store);
    await settle();
    const button = screen.getByRole('button', { name: `Check order ${A} again (a look-up only, no stop)` });
    await step(() => untrustedClick(button));
    await settle();
    expect(deps.sent).toEqual([]); // a page script's click does nothing
    await step(() => trustedClick(button));
    await settle();
    expect(deps.sent).toEqual([{ type: 'checkAgain', orderNo: A }]);
    expect(screen.queryByRole('button', { name: /Confirm/ })).toBeNull();
    // A late -3 arrives through storage: the control shows the outcome, and nothing more to do.
    await step(() => deps.change(A, record(A, 'intercepted')));
    expect(host.getAttribute('data-state')).toBe('intercepted');
    expect(screen.queryByRole('button', { name: /Check order/ })).toBeNull();
  });

  it('keeps Check again the same button, disabled while its look-up is under way, with the focus on it', async () => {
    let answer!: () => void;
    const { store, deps } = fakeStore();
    deps.stored.set(A, record(A, 'unknown'));
    deps.reply = () => new Promise((resolve) => (answer = () => resolve({ ok: true })));
    const { host } = mount(store);
    await settle();
    const button = within(host).getByRole('button', { name: /Check order/ }) as HTMLButtonElement;
    button.focus();
    await step(() => trustedClick(button));
    expect(button.disabled).toBe(true);
    trustedClick(button); // one look-up at a time
    await step(answer);
    expect(deps.sent).toEqual([{ type: 'checkAgain', orderNo: A }]);
    expect(within(host).getByRole('button', { name: /Check order/ })).toBe(button);
    expect(button.disabled).toBe(false);
    expect(document.activeElement).toBe(button);
  });

  it('links an unknown outcome to the order page of the portal the agent is on', async () => {
    const { store, deps } = fakeStore();
    deps.stored.set(A, record(A, 'unknown'));
    mount(store);
    await settle();
    const link = screen.getByRole('link', { name: 'open the order' });
    expect(link.getAttribute('href')).toBe(`http://127.0.0.1:4000/portal/#/order/detail/${A}/en`);
    expect(link.getAttribute('target')).toBe('_blank');
  });

  it('unconfigured: the button says so and opens the options instead of stopping', async () => {
    const { store, deps } = fakeStore({ configuredValue: false });
    const { host } = mount(store);
    await settle();
    const button = screen.getByRole('button', { name: /Stop ticketing/ });
    expect(button.textContent).toBe('Stop ticketing: set up first');
    await step(() => untrustedClick(button));
    await settle();
    expect(deps.sent).toEqual([]);
    await step(() => trustedClick(button));
    await settle();
    expect(deps.sent).toEqual([{ type: 'openOptions' }]);
    expect(screen.queryByRole('button', { name: /Confirm/ })).toBeNull();
    expect(host.getAttribute('data-state')).toBe('idle');
  });

  it('asks again at click time when the agent has configured the extension meanwhile', async () => {
    const { store, deps } = fakeStore({ configuredValue: false });
    mount(store);
    await settle();
    deps.configuredValue = true;
    await step(() => trustedClick(screen.getByRole('button', { name: /Stop ticketing/ })));
    await settle();
    expect(deps.sent).toEqual([]);
    expect(screen.getByRole('button', { name: /Confirm/ })).toBeTruthy();
  });

  it('refuses when the number beside it changed since it was rendered (re-read at click time)', async () => {
    const { store, deps } = fakeStore();
    let current = true;
    const { host } = mount(store, A, { isCurrent: () => current });
    await settle();
    const confirm = await openConfirmation(deps, host);
    current = false;
    await step(() => trustedClick(confirm));
    await settle();
    expect(deps.sent).toEqual([]);
    // The confirmation closes; the scanner puts the new number's control in its place.
    expect(screen.queryByRole('button', { name: /Confirm/ })).toBeNull();
  });

  it('refuses at the first click too when the number changed before it (the page re-read)', async () => {
    const { store, deps } = fakeStore();
    const { host } = mount(store, A, { isCurrent: () => false });
    await settle();
    await step(() => trustedClick(within(host).getByRole('button', { name: /Stop ticketing/ })));
    expect(screen.queryByRole('button', { name: /Confirm/ })).toBeNull();
    expect(deps.sent).toEqual([]);
  });

  it('compact (a cell that clips): a stop mark, the words in the title, the state as a mark with its words in the title', async () => {
    const { store, deps } = fakeStore();
    const { host } = mount(store, A, { compact: true });
    await settle();
    const button = within(host).getByRole('button', { name: `Stop ticketing of order ${A}` });
    expect(button.textContent).toBe('');
    expect(button.title).toBe('Stop ticketing');
    // The confirmation is the same, naming the number in full.
    const confirm = await openConfirmation(deps, host);
    expect(host.textContent).toContain(`Stop ticketing of order ${A}?`);
    await step(() => trustedClick(confirm));
    await step(() => deps.change(A, record(A, 'intercepted', { requestedAt: 10_000 })));
    const status = host.querySelector('.status')!;
    expect(status.getAttribute('title')).toBe('Stopped: no ticket issued');
    expect(status.querySelector('.mark')!.textContent).toBe('✓');
    expect(status.querySelector('.sr-only')!.textContent).toBe('Stopped: no ticket issued'); // read out, not shown
    await step(() => deps.change(A, record(A, 'refused', { requestedAt: 10_000, lastMessage: 'Order is unpaid' })));
    expect(host.querySelector('.status .mark')!.textContent).toBe('!');
  });

  it('compact and unknown: Check again, Retry and the order link as marks, their words in titles and names (they fit the clipped cell)', async () => {
    const { store, deps } = fakeStore();
    deps.stored.set(A, record(A, 'unknown'));
    const { host } = mount(store, A, { compact: true });
    await settle();
    const check = within(host).getByRole('button', { name: new RegExp(`^Check order ${A} again`) });
    expect([check.textContent, check.title]).toEqual(['↻', 'Check again']);
    const retry = within(host).getByRole('button', { name: `Stop ticketing of order ${A} again` });
    expect([retry.textContent, retry.title]).toEqual(['', 'Retry']);
    const link = within(host).getByRole('link', { name: 'open the order' });
    expect([link.textContent, link.title]).toEqual(['↗', 'open the order']);
    expect(link.getAttribute('href')).toBe(`http://127.0.0.1:4000/portal/#/order/detail/${A}/en`);
    // Not compact: the words themselves.
    deps.stored.set(B, record(B, 'unknown'));
    const wide = mount(store, B).host;
    await settle();
    expect(within(wide).getByRole('button', { name: new RegExp(`^Check order ${B} again`) }).textContent).toBe('Check again');
    expect(within(wide).getByRole('link', { name: 'open the order' }).textContent).toBe('open the order');
  });

  it('announces a change made elsewhere (popup, another tab) to an order that was idle at load', async () => {
    const { store, deps } = fakeStore();
    const { host } = mount(store);
    await settle();
    await step(() => deps.change(A, record(A, 'intercepting', { nextCheckAt: deps.clock + 5000 })));
    expect(host.querySelector('[aria-live="polite"]')!.textContent).toBe(`${A}: Intercepting… next check in 0:05`);
  });

  it('keeps the focus on the same part when a change makes its parts again (the main button, the status)', async () => {
    const { store, deps } = fakeStore();
    const { host } = mount(store, A);
    await settle();
    const before = within(host).getByRole('button', { name: `Stop ticketing of order ${A}` });
    before.focus();
    store.addOccurrence(B); // the page now has two orders: a checkbox comes first
    expect(within(host).getByRole('checkbox')).toBeTruthy();
    expect(document.activeElement).not.toBe(before);
    expect(document.activeElement?.getAttribute('aria-label')).toBe(`Stop ticketing of order ${A}`);

    deps.change(A, record(A, 'intercepting', { nextCheckAt: deps.clock + 5000 }));
    (host.querySelector('.status') as HTMLElement).focus();
    const focus = vi.spyOn(HTMLElement.prototype, 'focus');
    try {
      deps.change(A, record(A, 'intercepted'));
      expect(document.activeElement).toBe(host.querySelector('.status.s-intercepted'));
      // Given back without scrolling: a page's clipped cell or fixed column would stay scrolled.
      expect(focus).toHaveBeenCalled();
      for (const [options] of focus.mock.calls) expect(options).toEqual({ preventScroll: true });
    } finally {
      focus.mockRestore();
    }
  });

  it('keeps an open confirmation (the same element, still ready) when the control is made again under it', async () => {
    const { store, deps } = fakeStore();
    const { host } = mount(store, A);
    await settle();
    const confirm = await openConfirmation(deps, host);
    const group = within(host).getByRole('group');
    store.addOccurrence(B);
    expect(within(host).getByRole('checkbox')).toBeTruthy();
    expect(within(host).getByRole('group')).toBe(group);
    expect(within(host).getByRole('button', { name: /Confirm/ })).toBe(confirm);
    expect((confirm as HTMLButtonElement).disabled).toBe(false);
    trustedClick(confirm);
    expect(deps.sent).toEqual([{ type: 'stop', orderNo: A }]);
  });

  it('counts down by patching its words only: the status stays the same element', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { store, deps } = fakeStore();
      deps.stored.set(A, record(A, 'intercepting', { nextCheckAt: deps.clock + 65_000 }));
      const { host } = mount(store);
      await settle();
      const status = host.querySelector('.status')!;
      const words = status.querySelector('.text')!.firstChild;
      expect(status.textContent).toContain('next check in 1:05');
      deps.clock += 1000;
      vi.advanceTimersByTime(1000);
      expect(status.textContent).toContain('next check in 1:04');
      expect(status.getAttribute('title')).toContain('next check in 1:04');
      expect(host.querySelector('.status')).toBe(status);
      expect(status.querySelector('.text')!.firstChild).toBe(words);
    } finally {
      vi.useRealTimers();
    }
  });

  it('re-renders only from the shared store: a change for another order leaves it alone', async () => {
    const { store, deps } = fakeStore();
    const { host } = mount(store, A);
    await settle();
    await step(() => deps.change(B, record(B, 'intercepted')));
    expect(host.getAttribute('data-state')).toBe('idle');
    await step(() => deps.change(A, record(A, 'issued')));
    expect(host.getAttribute('data-state')).toBe('issued');
    await step(() => deps.change(A, null)); // removed from the popup
    expect(host.getAttribute('data-state')).toBe('idle');
  });
});

describe('multi-select', () => {
  function mountTwo() {
    const fixture = fakeStore();
    const a = mount(fixture.store, A);
    const b = mount(fixture.store, B);
    const bar = new SelectionBar({ store: fixture.store, translate });
    made.push(bar);
    document.body.append(bar.element);
    return { ...fixture, a: a.host, b: b.host, bar: bar.element };
  }

  function change(box: HTMLInputElement, checked: boolean, trusted: boolean) {
    box.checked = checked;
    const event = new Event('change', { bubbles: true });
    Object.defineProperty(event, 'isTrusted', { value: trusted });
    box.dispatchEvent(event);
  }

  it('shows a checkbox per control once the page has more than one order', async () => {
    const { a, b, bar } = mountTwo();
    await settle();
    expect(within(a).getByRole('checkbox', { name: `Select order ${A}` })).toBeTruthy();
    expect(within(b).getByRole('checkbox', { name: `Select order ${B}` })).toBeTruthy();
    expect(within(bar).queryByRole('button')).toBeNull(); // nothing selected: no bar
  });

  it('ignores a checkbox ticked by a page script', async () => {
    const { a, bar, store } = mountTwo();
    await settle();
    const box = within(a).getByRole('checkbox') as HTMLInputElement;
    await step(() => change(box, true, false));
    expect(box.checked).toBe(false);
    expect(store.selection()).toEqual([]);
    expect(within(bar).queryByRole('button')).toBeNull();
  });

  it('stops every selected order after one confirmation listing them', async () => {
    const { a, b, bar, deps, store } = mountTwo();
    await settle();
    await step(() => change(within(a).getByRole('checkbox') as HTMLInputElement, true, true));
    await step(() => change(within(b).getByRole('checkbox') as HTMLInputElement, true, true));
    const open = within(bar).getByRole('button', { name: 'Stop 2 selected' });
    await step(() => untrustedClick(open));
    expect(within(bar).queryByRole('button', { name: /Confirm/ })).toBeNull();
    await step(() => trustedClick(open));
    expect(within(bar).getByText('Stop ticketing of these 2 orders?')).toBeTruthy();
    expect(within(bar).getAllByRole('listitem').map((li) => li.textContent)).toEqual([A, B]);
    const confirm = within(bar).getByRole('button', { name: /Confirm/ });
    expect((confirm as HTMLButtonElement).disabled).toBe(true); // takes input after CONFIRM_DELAY_MS on show
    await tick(CONFIRM_DELAY_MS + 50);
    await step(() => untrustedClick(confirm));
    expect(deps.sent).toEqual([]);
    await step(() => trustedClick(confirm));
    await settle();
    expect(deps.sent).toEqual([
      { type: 'stop', orderNo: A },
      { type: 'stop', orderNo: B },
    ]);
    expect(store.selection()).toEqual([]);
    expect(a.getAttribute('data-state')).toBe('requesting');
    expect(b.getAttribute('data-state')).toBe('requesting');
    expect(within(bar).queryByRole('button', { name: /selected/ })).toBeNull();
    expect(bar.querySelector('[aria-live="polite"]')!.textContent).toBe('2 stop requests sent');
  });

  it('keeps the focus on the same button when the selection changes', async () => {
    const { a, b, bar } = mountTwo();
    await settle();
    change(within(a).getByRole('checkbox') as HTMLInputElement, true, true);
    within(bar).getByRole('button', { name: 'Stop 1 selected' }).focus();
    change(within(b).getByRole('checkbox') as HTMLInputElement, true, true);
    expect(document.activeElement?.textContent).toBe('Stop 2 selected');
  });

  it('drops an order from the selection when it leaves the page', async () => {
    const { a, store } = mountTwo();
    await settle();
    await step(() => change(within(a).getByRole('checkbox') as HTMLInputElement, true, true));
    expect(store.selection()).toEqual([A]);
    await step(() => store.removeOccurrence(A));
    expect(store.selection()).toEqual([]);
  });
});
