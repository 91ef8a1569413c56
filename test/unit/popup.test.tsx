// @vitest-environment happy-dom
/** The popup as a whole (happy-dom, fakeBrowser): its rows, countdowns, actions, CSV export, an order's history, 1,000 records, and a browser policy. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { PopupApp } from '@/components/popup/PopupApp';
import { DEFAULT_SETTINGS, settingsItem } from '@/utils/shared/settings';
import { resetManagedReads } from '@/utils/shared/managed-settings';
import { orderKey } from '@/utils/shared/store';
import type { OrderState, TrackedOrder } from '@/utils/shared/logic/record';
import { formatCountdown } from '@/utils/shared/logic/format';
import { backgroundSpy, record, T0 } from './fixtures';

const A = 'TESTA20261126090000001';
const B = 'TESTA20261126090000002';
const C = 'TESTA20261126090000004';
const D = 'TESTA20261126090000007';


const put = (r: TrackedOrder) => storage.setItem(orderKey(r.orderNo), r);


const row = (orderNo: string) => document.querySelector<HTMLElement>(`[data-order-no="${orderNo}"]`);
const rowsInOrder = () => [...document.querySelectorAll<HTMLElement>('[data-order-no]')].map((el) => el.dataset.orderNo);

beforeEach(async () => {
  fakeBrowser.reset();
  resetManagedReads();
  localStorage.clear(); // the popup's view hint (view-hint.ts) from an earlier test
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, clientId: 'agent' });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('popup: the tracked orders', () => {
  it('shows one row per order, newest first, split into in progress and finished, with state words', async () => {
    await put(record(A, 'intercepted', { requestedAt: T0 + 1000, finishedAt: T0 + 500_000, lastMessage: 'ok', lastStatus: 0 }));
    await put(record(B, 'intercepting', { requestedAt: T0 + 3000, nextCheckAt: Date.now() + 60_000, lastMessage: 'We are trying to intercept the ticket issuance.' }));
    await put(record(C, 'refused', { requestedAt: T0 + 2000, finishedAt: T0 + 2500, lastStatus: 801, lastMessage: 'Order is unpaid: ticket issuance cannot be stopped' }));
    await put(record(D, 'error', { requestedAt: T0, finishedAt: T0 + 9000, failure: { kind: 'status', status: 905, msg: 'Too frequent' }, endReason: 'never-received' }));
    render(<PopupApp />);
    await waitFor(() => expect(rowsInOrder()).toHaveLength(4));

    expect(rowsInOrder()).toEqual([B, C, A, D]);
    const inProgress = screen.getByRole('region', { name: /In progress/ });
    const finished = screen.getByRole('region', { name: /Finished/ });
    expect(within(inProgress).getAllByRole('listitem').map((li) => li.dataset.orderNo)).toEqual([B]);
    expect(within(finished).getAllByRole('listitem').map((li) => li.dataset.orderNo)).toEqual([C, A, D]);

    expect(row(B)!.dataset.state).toBe('intercepting');
    expect(row(A)!.dataset.state).toBe('intercepted');
    // The badge says it in words, never by colour alone.
    expect(row(A)!.textContent).toContain('Intercepted');
    expect(row(B)!.textContent).toContain('Intercepting');
    expect(row(C)!.textContent).toContain('Refused');
    expect(row(D)!.textContent).toContain('Error');
    // ATRIP's message as given; the failure for an error.
    expect(row(C)!.textContent).toContain('Order is unpaid: ticket issuance cannot be stopped');
    expect(row(D)!.textContent).toContain('ATRIP status 905: Too frequent');
    expect(row(D)!.textContent).toContain('Every stop request was turned away before ATRIP took it.');
    expect(row(C)!.textContent).toContain('ATRIP: Order is unpaid');
    // What a final state means, in words.
    expect(row(A)!.textContent).toContain('No ticket was issued: the order is cancelled.');
    expect(row(C)!.textContent).toContain('ATRIP refused the stop request (status 801).');
    expect(row(D)!.textContent).toContain('ATRIP never took the stop request: ticket issuance was not stopped.');
    expect(row(B)!.textContent).not.toContain('No ticket was issued');
    // Requested and decided.
    expect(row(A)!.textContent).toMatch(/Requested .*\d\d:\d\d:\d\d/);
    expect(row(A)!.textContent).toMatch(/Decided .*\d\d:\d\d:\d\d/);
    expect(row(B)!.textContent).not.toContain('Decided');
    // Header: count in progress.
    expect(screen.getByText('1 in progress')).toBeTruthy();
  });

  it('offers check now only while intercepting, check again for unknown and error, retry for refused, error and unknown', async () => {
    const states: [string, OrderState][] = [
      ['TESTA20261126090000101', 'requesting'],
      ['TESTA20261126090000102', 'intercepting'],
      ['TESTA20261126090000103', 'intercepted'],
      ['TESTA20261126090000104', 'issued'],
      ['TESTA20261126090000105', 'refused'],
      ['TESTA20261126090000106', 'error'],
      ['TESTA20261126090000107', 'unknown'],
    ];
    for (const [no, state] of states) await put(record(no, state, state === 'intercepting' ? { nextCheckAt: Date.now() + 5000 } : {}));
    render(<PopupApp />);
    await waitFor(() => expect(rowsInOrder()).toHaveLength(7));
    const buttons = (no: string) => within(row(no)!).getAllByRole('button').map((b) => b.textContent);
    const has = (no: string, name: string) => buttons(no).includes(name);
    for (const [no, state] of states) {
      expect(has(no, 'Check now'), `${state} check now`).toBe(state === 'intercepting');
      expect(has(no, 'Check again'), `${state} check again`).toBe(['error', 'unknown'].includes(state));
      expect(has(no, 'Retry stop'), `${state} retry`).toBe(['refused', 'error', 'unknown'].includes(state));
      expect(has(no, 'Open order'), `${state} open`).toBe(true);
      expect(has(no, 'Remove'), `${state} remove`).toBe(true);
    }
  });

  it('sends the right request for each row action', async () => {
    await put(record(B, 'intercepting', { nextCheckAt: Date.now() + 60_000 }));
    await put(record(C, 'refused', { lastMessage: 'no', requestedAt: T0 - 1 }));
    await put(record(D, 'unknown', { requestedAt: T0 - 2 }));
    const sent = backgroundSpy();
    render(<PopupApp />);
    await waitFor(() => expect(rowsInOrder()).toHaveLength(3));

    // Each row's buttons wait for the background's answer, then take the next action.
    const act_ = async (no: string, name: string) => {
      const button = within(row(no)!).getByRole<HTMLButtonElement>('button', { name });
      fireEvent.click(button);
      await waitFor(() => expect(within(row(no)!).getByRole<HTMLButtonElement>('button', { name: 'Open order' }).disabled).toBe(false));
    };
    await act_(B, 'Check now');
    expect(sent).toEqual([{ type: 'checkNow', orderNo: B }]);
    await act_(B, 'Open order');
    expect(sent.at(-1)).toEqual({ type: 'openOrder', orderNo: B });
    // Retry sends a new stop: only after its confirmation, as every stop.
    fireEvent.click(within(row(C)!).getByRole('button', { name: 'Retry stop' }));
    expect(sent.at(-1)).toEqual({ type: 'openOrder', orderNo: B });
    const question = within(row(C)!).getByRole('group', { name: `Send a new stop request for order ${C}?` });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Cancel'));
    fireEvent.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(within(row(C)!).queryByRole('group')).toBeNull();
    fireEvent.click(within(row(C)!).getByRole('button', { name: 'Retry stop' }));
    await act_(C, 'Confirm stop');
    expect(sent.at(-1)).toEqual({ type: 'retry', orderNo: C });
    await act_(C, 'Remove');
    expect(sent.at(-1)).toEqual({ type: 'remove', orderNo: C });
    // Check again is a look-up only: no confirmation.
    await act_(D, 'Check again');
    expect(sent.at(-1)).toEqual({ type: 'checkAgain', orderNo: D });
    expect(sent).toHaveLength(5);
  });

  it('shows the background’s error when an action fails', async () => {
    await put(record(B, 'intercepting', { nextCheckAt: Date.now() + 60_000 }));
    backgroundSpy({ ok: false, error: 'Request refused: unknown sender' });
    render(<PopupApp />);
    await waitFor(() => expect(row(B)).toBeTruthy());
    fireEvent.click(within(row(B)!).getByRole('button', { name: 'Check now' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('That did not work: Request refused: unknown sender'));
  });

  it('copies the order number with the clipboard', async () => {
    await put(record(A, 'intercepted'));
    const writeText = vi.fn(async (_text: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<PopupApp />);
    await waitFor(() => expect(row(A)).toBeTruthy());
    const copy = within(row(A)!).getByRole('button', { name: `Copy order number ${A}` });
    fireEvent.click(copy);
    await waitFor(() => expect(copy.textContent).toBe('Copied'));
    expect(writeText).toHaveBeenCalledWith(A);
  });

  it('follows storage changes live: new rows, new states, removed rows', async () => {
    await put(record(A, 'intercepting', { nextCheckAt: Date.now() + 60_000 }));
    render(<PopupApp />);
    await waitFor(() => expect(row(A)).toBeTruthy());

    await act(() => put(record(B, 'requesting', { requestedAt: T0 + 10 })));
    await waitFor(() => expect(rowsInOrder()).toEqual([B, A]));
    expect(row(B)!.textContent).toContain('Sending the stop request to ATRIP');

    await act(() => put(record(A, 'intercepted', { finishedAt: T0 + 5000, lastMessage: "Ticket issuance stopped at the agent's request" })));
    await waitFor(() => expect(row(A)!.dataset.state).toBe('intercepted'));
    expect(within(screen.getByRole('region', { name: /Finished/ })).getByText(/Ticket issuance stopped/)).toBeTruthy();
    expect(screen.getByText('1 in progress')).toBeTruthy();

    await act(() => storage.removeItem(orderKey(B)));
    await waitFor(() => expect(rowsInOrder()).toEqual([A]));
    expect(screen.getByText('0 in progress')).toBeTruthy();
  });
});

describe('popup: the countdown', () => {
  it('counts down to the next check every second, then says it is checking', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: T0 });
    await put(record(B, 'intercepting', { nextCheckAt: T0 + 62_000 }));
    render(<PopupApp />);
    await waitFor(() => expect(row(B)).toBeTruthy());
    expect(row(B)!.textContent).toContain('Next check in 1:02');
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(row(B)!.textContent).toContain('Next check in 1:01');
    act(() => {
      vi.advanceTimersByTime(59_000);
    });
    expect(row(B)!.textContent).toContain('Next check in 0:02');
    act(() => {
      vi.advanceTimersByTime(2000);
    });
    expect(row(B)!.textContent).toContain('Checking the result…');
    expect(row(B)!.textContent).not.toContain('Next check in');
  });

  it('formats minutes and hours', () => {
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5000)).toBe('0:00');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(59_000)).toBe('0:59');
    expect(formatCountdown(480_000)).toBe('8:00');
    expect(formatCountdown(3_600_000)).toBe('1:00:00');
    expect(formatCountdown(3_725_000)).toBe('1:02:05');
  });
});

describe('popup: empty, unconfigured, options', () => {
  it('says how to start when nothing is tracked', async () => {
    render(<PopupApp />);
    await waitFor(() => expect(screen.getByText('No orders tracked yet')).toBeTruthy());
    expect(screen.getByText(/paste an order number above, or open an order in the ATRIP portal/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Export/ })).toBeNull();
    expect(screen.queryByText(/Set your ATRIP client ID/)).toBeNull();
  });

  it('calls for a client id when none is set, and the call opens the options page', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, clientId: '' });
    const openOptionsPage = vi.fn(async () => undefined);
    fakeBrowser.runtime.openOptionsPage = openOptionsPage;
    render(<PopupApp />);
    await waitFor(() => expect(screen.getByText('Set your ATRIP client ID before you stop orders.')).toBeTruthy());
    // Without a client id a stop cannot work: the button waits for it.
    fireEvent.input(screen.getByLabelText('Stop an order'), { target: { value: A } });
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Stop ticketing' }).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Open settings' }));
    expect(openOptionsPage).toHaveBeenCalledTimes(1);
    // Set elsewhere (the options page): the call goes away by itself.
    await act(() => settingsItem.setValue({ ...DEFAULT_SETTINGS, clientId: 'agent' }));
    await waitFor(() => expect(screen.queryByText('Set your ATRIP client ID before you stop orders.')).toBeNull());
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Stop ticketing' }).disabled).toBe(false);
  });

  it('opens the options page from the header', async () => {
    const openOptionsPage = vi.fn(async () => undefined);
    fakeBrowser.runtime.openOptionsPage = openOptionsPage;
    render(<PopupApp />);
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    expect(openOptionsPage).toHaveBeenCalledTimes(1);
  });
});

describe('popup: stop an order', () => {
  it('validates as typed, asks for confirmation, then sends the stop', async () => {
    const sent = backgroundSpy();
    render(<PopupApp />);
    const field = screen.getByLabelText('Stop an order');
    const stop = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Stop ticketing' });

    fireEvent.input(field, { target: { value: 'TESTA2026' } });
    expect(screen.getByText('Not an ATRIP order number: 5 capital letters, then 17 digits.')).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(field.getAttribute('aria-describedby')!)!.textContent).toContain('Not an ATRIP order number');
    expect(stop().disabled).toBe(true);

    // Pasted in lower case with spaces around: the same order.
    fireEvent.input(field, { target: { value: `  ${A.toLowerCase()} ` } });
    expect(screen.queryByText(/Not an ATRIP order number/)).toBeNull();
    expect(field.getAttribute('aria-invalid')).toBeNull();
    fireEvent.click(stop());
    expect(sent).toEqual([]); // nothing before the confirmation
    expect(screen.getByText(`Stop ticket issuance of order ${A}? If ATRIP intercepts it, the order is cancelled.`)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm stop' }));
    await waitFor(() => expect(sent).toEqual([{ type: 'stop', orderNo: A }]));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain(`Stop request sent for order ${A}`));
    expect((field as HTMLInputElement).value).toBe('');
  });

  it('sends nothing when the confirmation is cancelled', async () => {
    const sent = backgroundSpy();
    render(<PopupApp />);
    fireEvent.input(screen.getByLabelText('Stop an order'), { target: { value: A } });
    fireEvent.submit(screen.getByLabelText('Stop an order').closest('form')!);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('button', { name: 'Confirm stop' })).toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toEqual([]);
  });

  it('does not send a second stop for an order in progress', async () => {
    await put(record(A, 'intercepting', { nextCheckAt: Date.now() + 60_000 }));
    const sent = backgroundSpy();
    render(<PopupApp />);
    await waitFor(() => expect(row(A)).toBeTruthy());
    fireEvent.input(screen.getByLabelText('Stop an order'), { target: { value: A } });
    fireEvent.click(screen.getByRole('button', { name: 'Stop ticketing' }));
    expect(screen.getByRole('status').textContent).toBe(`Order ${A} is already in progress: see below.`);
    expect(screen.queryByRole('button', { name: 'Confirm stop' })).toBeNull();
    expect(sent).toEqual([]);
  });

  it('shows why a stop could not be sent', async () => {
    backgroundSpy({ ok: false, error: 'Could not establish connection' });
    render(<PopupApp />);
    fireEvent.input(screen.getByLabelText('Stop an order'), { target: { value: A } });
    fireEvent.click(screen.getByRole('button', { name: 'Stop ticketing' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm stop' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Could not send the stop request: Could not establish connection'),
    );
    expect((screen.getByLabelText('Stop an order') as HTMLInputElement).value).toBe(A);
  });
});

describe('popup: CSV export', () => {
  it('downloads the history as UTF-8 CSV with a BOM, RFC 4180 quoting, newest first', async () => {
    await put(
      record(A, 'intercepted', {
        requestedAt: T0,
        finishedAt: T0 + 60_000,
        lastMessage: 'Stopped, "as asked"',
        history: [{ at: T0 + 60_000, step: 'check', status: 0, orderStatus: '-3', reading: 'intercepted', decision: { kind: 'final', state: 'intercepted', why: 'order-status' } }],
      }),
    );
    await put(record(B, 'refused', { requestedAt: T0 + 1000, finishedAt: T0 + 2000, lastMessage: '订单未支付，不能停止出票' }));
    let blob: Blob | undefined;
    const createObjectURL = vi.fn((b: Blob) => {
      blob = b;
      return 'blob:test';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicked: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    render(<PopupApp />);
    await waitFor(() => expect(rowsInOrder()).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Export history (CSV)' }));

    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(clicked[0]!.download).toMatch(/^atrip-stop-ticket-\d{8}-\d{6}\.csv$/);
    expect(blob!.type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(await blob!.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('Order,State,Requested,Decided,Last message,Step time,Step,ATRIP status,ATRIP message,Order status,Details,Decision');
    // An order without history: one row; with history: one row per step.
    expect(lines[1]).toMatch(new RegExp(`^${B},Refused,\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,订单未支付，不能停止出票$`));
    expect(lines[2]).toMatch(
      new RegExp(`^${A},Intercepted,.+,"Stopped, ""as asked""",\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,Result check,0,,"order status -3: intercepted, no ticket issued",,final: Intercepted — ATRIP's order status$`),
    );
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
  });
});

describe('popup: an order’s history', () => {
  it('is behind a disclosure button per row, drawn only when expanded: every step, its time, ATRIP verbatim, the decision', async () => {
    const at = new Date().setHours(10, 42, 13, 0); // today: the popup shows the time alone
    await put(
      record(A, 'intercepted', {
        requestedAt: at,
        finishedAt: at + 480_000,
        history: [
          { at, step: 'start', decision: { kind: 'send', at } },
          { at: at + 1000, step: 'stop', failure: { kind: 'http', httpStatus: 500, excerpt: '<html>' }, reading: 'http', reached: 'maybe', decision: { kind: 'lookup', at: at + 16_000, afterSeconds: 15 } },
          { at: at + 16_000, step: 'lookup', status: 0, orderStatus: '1', reading: 'undecided', decision: { kind: 'resend', at: at + 16_000, afterSeconds: 0 } },
          { at: at + 17_000, step: 'stop', status: 0, msg: 'We are trying to intercept', reading: 'accepted', decision: { kind: 'check', at: at + 497_000 } },
          { at: at + 497_000, step: 'check', status: 0, orderStatus: '-3', reading: 'intercepted', decision: { kind: 'final', state: 'intercepted', why: 'order-status' } },
        ],
      }),
    );
    await put(record(B, 'unknown', { requestedAt: at - 1000, history: [{ at: at - 1000, step: 'legacy', text: 'stop sent: HTTP 500' }] }));
    render(<PopupApp />);
    await waitFor(() => expect(rowsInOrder()).toHaveLength(2));
    expect(document.querySelector('.history')).toBeNull();
    const toggle = within(row(A)!).getByRole('button', { name: /History \(5\)/ });
    expect(toggle.tagName).toBe('BUTTON'); // keyboard: Enter and Space work on a native button
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const list = within(row(A)!).getByRole('list', { name: `History of order ${A}` });
    expect(toggle.getAttribute('aria-controls')).toBe(list.id);
    const steps = within(list).getAllByRole('listitem').map((li) => li.textContent);
    expect(steps).toHaveLength(5);
    expect(steps[0]).toMatch(/^10:42:13.*Stop requested.*the request leaves now/);
    expect(steps[1]).toMatch(/^10:42:14.*Stop request sent to ATRIP.*HTTP 500 from the API.*ATRIP may have received the stop.*look the order up in 15 s, at 10:42:29, before any re-send/);
    expect(steps[2]).toMatch(/^10:42:29.*Order looked up.*order status 1: not decided yet.*still undecided: send the stop again now/);
    expect(steps[3]).toMatch(/^10:42:30.*ATRIP: status 0, “We are trying to intercept”.*next check at 10:50:30/);
    expect(steps[4]).toMatch(/^10:50:30.*Result check.*order status -3: intercepted, no ticket issued.*final: Intercepted — ATRIP's order status/);
    // Only that row's history; a version-1 entry shows its own words.
    expect(document.querySelectorAll('.history')).toHaveLength(1);
    fireEvent.click(within(row(B)!).getByRole('button', { name: /History \(1\)/ }));
    expect(within(row(B)!).getByRole('list').textContent).toContain('stop sent: HTTP 500');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(within(row(A)!).queryByRole('list')).toBeNull();
  });
});

/** 1,000 records: one in ten `intercepting` (0, 10, 20…), the others `intercepted`; the higher the number, the newer. */
function thousand(): Record<string, TrackedOrder> {
  const items: Record<string, TrackedOrder> = {};
  for (let i = 0; i < 1000; i++) {
    const no = `TESTB2026112510${String(i).padStart(7, '0')}`;
    items[`order:${no}`] =
      i % 10 === 0
        ? record(no, 'intercepting', { requestedAt: T0 + i, nextCheckAt: Date.now() + 60_000 + i })
        : record(no, 'intercepted', { requestedAt: T0 + i, finishedAt: T0 + i + 1 });
  }
  return items;
}
const thousandth = (i: number) => `TESTB2026112510${String(i).padStart(7, '0')}`;
/** The newest `n` finished ones of thousand(). */
const newestFinished = (n: number) =>
  Array.from({ length: 1000 }, (_, k) => 999 - k)
    .filter((i) => i % 10 !== 0)
    .slice(0, n)
    .map(thousandth);
const counts = () => [...document.querySelectorAll('.orders h2 .count')].map((e) => e.textContent);
const inSection = (name: RegExp) => within(screen.getByRole('region', { name })).getAllByRole('listitem').map((li) => li.dataset.orderNo);

/** `storage.local.getKeys` (Chrome 130+, Firefox 143+), which fakeBrowser lacks, beside a spy on `get`. */
function withGetKeys() {
  const area = fakeBrowser.storage.local;
  const read = area.get.bind(area);
  Object.assign(area, { getKeys: async () => Object.keys(await read(null)) });
  return vi.spyOn(area, 'get');
}

describe('popup: 1,000 records', () => {
  it('shows every order in progress and the newest finished ones, more on demand; one timer for all countdowns', async () => {
    await fakeBrowser.storage.local.set(thousand());
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    const setInterval = vi.spyOn(globalThis, 'setInterval');
    render(<PopupApp />);
    await waitFor(() => expect(document.querySelectorAll('[data-order-no]')).toHaveLength(120), { timeout: 10_000 });
    // Every order in progress has its row, newest first; finished ones: the newest 20 of 900.
    const inProgress = inSection(/In progress/);
    expect(inProgress).toHaveLength(100);
    expect(inProgress[0]).toBe(thousandth(990));
    expect(inProgress.at(-1)).toBe(thousandth(0));
    expect(inSection(/Finished/)).toEqual(newestFinished(20));
    expect(counts()).toEqual(['(100)', '(900)']);
    // Rows past the first screen come light first, then in full a frame or so later.
    await waitFor(() => expect(document.querySelectorAll('.order.light')).toHaveLength(0), { timeout: 15_000 });
    expect(document.querySelectorAll('.countdown')).toHaveLength(100);
    expect(setInterval.mock.calls.filter(([, ms]) => ms === 1000)).toHaveLength(1);
    // Without a view hint (first open): one read of everything, never one per record.
    expect(get.mock.calls.filter(([keys]) => keys == null)).toHaveLength(1);
    expect(get.mock.calls.length).toBeLessThanOrEqual(4);

    fireEvent.click(screen.getByRole('button', { name: 'Show 50 more (880 not shown)' }));
    expect(inSection(/Finished/)).toEqual(newestFinished(70));
    expect(screen.getByRole('button', { name: 'Show 50 more (830 not shown)' })).toBeTruthy();
  }, 30_000);

  it('opens from the view hint: the first screen’s records first, the rest in chunks, never all at once', async () => {
    await fakeBrowser.storage.local.set(thousand());
    const get = withGetKeys();
    const first = render(<PopupApp />);
    await waitFor(() => expect(counts()).toEqual(['(100)', '(900)']));
    await waitFor(() => expect(localStorage.length).toBe(1)); // the hint, once every record was read
    first.unmount();

    // Since then: a new order, an old finished one stopped again (in progress now), one removed.
    const fresh = 'TESTC20261126100000001';
    await put(record(fresh, 'requesting', { requestedAt: T0 + 5000 }));
    await put(record(thousandth(1), 'requesting', { requestedAt: T0 + 4000 }));
    await storage.removeItem(orderKey(thousandth(990)));
    get.mockClear();

    render(<PopupApp />);
    await waitFor(() => expect(inSection(/In progress/)[0]).toBe(fresh));
    const reads = get.mock.calls.map(([keys]) => keys);
    expect(reads).not.toContain(null);
    expect(reads).not.toContain(undefined);
    const orderReads = reads.filter((keys): keys is string[] => Array.isArray(keys) && keys.some((k) => k.startsWith('order:')));
    // First: the rows of the first render by the hint (the 10 newest in progress), then the new order
    // (it goes first), then the rest of the first screen by the hint (90 in progress + 20 finished).
    expect(orderReads[0]).toEqual(Array.from({ length: 10 }, (_, i) => `order:${thousandth(990 - 10 * i)}`));
    expect(orderReads[1]).toEqual([`order:${fresh}`]);
    await waitFor(() => expect(counts()).toEqual(['(101)', '(899)']));
    const all = get.mock.calls.map(([keys]) => keys).filter((keys): keys is string[] => Array.isArray(keys) && keys.some((k) => k.startsWith('order:')));
    expect(all[2]).toHaveLength(110);
    // Then every other record, a hundred at a time, and all of them.
    const later = all.slice(3);
    expect(later.every((keys) => keys.length <= 100)).toBe(true);
    // Every record there is now (999 left + the new one), plus the removed one the hint still listed; none twice.
    const requested = all.flat();
    expect(new Set(requested).size).toBe(1001);
    expect(requested).toHaveLength(1001);
    // The order stopped again is in progress, with its new time; the removed one is gone.
    expect(inSection(/In progress/)).toContain(thousandth(1));
    expect(row(thousandth(990))).toBeNull();
  }, 30_000);

  it('takes each change as it comes: nothing is read again', async () => {
    await fakeBrowser.storage.local.set(thousand());
    const get = withGetKeys();
    render(<PopupApp />);
    await waitFor(() => expect(counts()).toEqual(['(100)', '(900)']));
    await waitFor(() => expect(localStorage.length).toBe(1));
    get.mockClear();
    await act(() => put(record(thousandth(990), 'intercepted', { requestedAt: T0 + 990, finishedAt: T0 + 2000 })));
    await waitFor(() => expect(row(thousandth(990))!.dataset.state).toBe('intercepted'));
    expect(counts()).toEqual(['(99)', '(901)']);
    expect(inSection(/Finished/).slice(0, 11)).toEqual([...newestFinished(9), thousandth(990), thousandth(989)]);
    await act(() => storage.removeItem(orderKey(thousandth(997))));
    await waitFor(() => expect(counts()).toEqual(['(99)', '(900)']));
    expect(get).not.toHaveBeenCalled();
  }, 30_000);

  it('exports every record to CSV, also those not shown', async () => {
    await fakeBrowser.storage.local.set(thousand());
    let blob: Blob | undefined;
    Object.assign(URL, { createObjectURL: vi.fn((b: Blob) => ((blob = b), 'blob:test')), revokeObjectURL: vi.fn() });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    render(<PopupApp />);
    await waitFor(() => expect(counts()).toEqual(['(100)', '(900)']));
    fireEvent.click(screen.getByRole('button', { name: 'Export history (CSV)' }));
    await waitFor(() => expect(blob).toBeDefined());
    const lines = new TextDecoder().decode(await blob!.arrayBuffer()).trim().split('\r\n');
    expect(lines).toHaveLength(1001);
  }, 30_000);
});

describe('popup: browser policy', () => {
  it('counts a client id set by policy as configured, and follows the policy', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, clientId: '' });
    await fakeBrowser.storage.managed.set({ clientId: 'org-client' });
    render(<PopupApp />);
    fireEvent.input(screen.getByLabelText('Stop an order'), { target: { value: A } });
    await waitFor(() => expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Stop ticketing' }).disabled).toBe(false));
    expect(screen.queryByText('Set your ATRIP client ID before you stop orders.')).toBeNull();
    // The organisation withdraws the client id (the agent saved none).
    await act(() => fakeBrowser.storage.managed.clear());
    await waitFor(() => expect(screen.getByText('Set your ATRIP client ID before you stop orders.')).toBeTruthy());
  });

  it('offers access to the policy’s sites the browser has not granted, asked within the click', async () => {
    const granted = ['https://www.atriptech.com/*', 'https://sandbox.atriptech.com/*'];
    const permissions = {
      getAll: vi.fn(async () => ({ origins: [...granted] })),
      request: vi.fn(async ({ origins }: { origins: string[] }) => (granted.push(...origins), true)),
    };
    Object.assign(fakeBrowser, { permissions });
    await fakeBrowser.storage.managed.set({ portalOrigins: ['https://portal.corp.example', 'https://www.atriptech.com'] });
    render(<PopupApp />);
    const text = await screen.findByText(/Your organisation set sites this extension cannot reach yet/);
    expect(text.textContent).toBe('Your organisation set sites this extension cannot reach yet: https://portal.corp.example.');
    fireEvent.click(screen.getByRole('button', { name: 'Allow access' }));
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://portal.corp.example/*'] });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Allow access' })).toBeNull());
  });
});
