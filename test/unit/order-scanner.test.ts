// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_TAG, type OrderOccurrence } from '@/utils/page/find-orders';
import { startOrderScanner, type ScannerOptions } from '@/utils/page/order-scanner';

const A = 'TESTA20261126090000001';
const B = 'TESTB20261125100000002';
const no = (n: number) => `TESTB2026112510${String(n).padStart(7, '0')}`;

let controller: AbortController;
let disposed: string[];
let mounted: OrderOccurrence[];

function fakeMount(occurrence: OrderOccurrence) {
  mounted.push(occurrence);
  const host = document.createElement(CONTROL_TAG);
  host.setAttribute('data-atrip-order', occurrence.orderNo);
  return { host, dispose: () => disposed.push(occurrence.orderNo) };
}

function start(options: Partial<ScannerOptions> = {}) {
  return startOrderScanner(controller.signal, {
    mount: fakeMount,
    schedule: (run) => {
      const timer = setTimeout(run, 0);
      return () => clearTimeout(timer);
    },
    ...options,
  });
}

const hosts = () => [...document.querySelectorAll(CONTROL_TAG)];
const hostOrders = () => hosts().map((h) => h.getAttribute('data-atrip-order'));

function rows(numbers: string[]) {
  return numbers.map((n) => `<tr><td><a href="#/order/detail/${n}/zh">${n}</a></td><td>PEK→SHA</td></tr>`).join('');
}

beforeEach(() => {
  controller = new AbortController();
  disposed = [];
  mounted = [];
  document.body.innerHTML = '';
});
afterEach(() => controller.abort());

describe('order scanner', () => {
  it('puts one control right after each occurrence on the first scan', async () => {
    document.body.innerHTML = `<table><tbody>${rows([A, B])}</tbody></table><p id="p">${A} and ${B}</p>`;
    const scanner = start();
    await scanner.idle();
    expect(hostOrders()).toEqual([A, B, A, B]);
    const links = document.querySelectorAll('a');
    expect(links[0]!.nextSibling).toBe(hosts()[0]);
    expect(links[1]!.nextSibling).toBe(hosts()[1]);
    // Two numbers in one text node directly in a block: their controls follow the text, in order.
    const p = document.getElementById('p')!;
    expect([...p.childNodes].map((n) => n.nodeName)).toEqual(['#text', CONTROL_TAG.toUpperCase(), CONTROL_TAG.toUpperCase()]);
    expect(scanner.controls()).toHaveLength(4);
  });

  it('adds controls to rows rendered later, and never twice for one occurrence', async () => {
    document.body.innerHTML = `<table><tbody id="rows">${rows([A])}</tbody></table>`;
    const scanner = start();
    await scanner.idle();
    const tbody = document.getElementById('rows')!;
    tbody.insertAdjacentHTML('beforeend', rows([B]));
    await scanner.idle();
    expect(hostOrders()).toEqual([A, B]);
    // Moving rows (sorting) and unrelated changes make the scanner look again: still one each.
    tbody.append(tbody.firstElementChild!);
    tbody.querySelector('td:nth-child(2)')!.append(' (changed)');
    document.body.append(document.createElement('div'));
    await scanner.idle();
    await scanner.idle();
    expect(hostOrders().sort()).toEqual([A, B]);
    expect(mounted.map((o) => o.orderNo)).toEqual([A, B]);
  });

  it('follows paging that swaps the rows without a reload', async () => {
    const first = Array.from({ length: 30 }, (_, i) => no(i + 1));
    const second = Array.from({ length: 30 }, (_, i) => no(i + 31));
    document.body.innerHTML = `<table><tbody id="rows">${rows(first)}</tbody></table>`;
    const scanner = start();
    await scanner.idle();
    expect(hostOrders()).toEqual(first);
    const tbody = document.getElementById('rows')!;
    tbody.textContent = '';
    tbody.insertAdjacentHTML('beforeend', rows(second));
    await scanner.idle();
    expect(hostOrders()).toEqual(second);
    expect(disposed.sort()).toEqual([...first].sort());
    expect(scanner.controls().map((c) => c.orderNo)).toEqual(second);
  });

  it('keeps a control whose number was rewritten refusing, then gives the new number its own once settled', async () => {
    document.body.innerHTML = `<p><span id="s">${A}</span></p>`;
    const scanner = start({ settleMs: 40 });
    await scanner.idle();
    const [host] = hosts();
    expect(scanner.isCurrent(host!)).toBe(true);
    const span = document.getElementById('s')!;
    // characterData change of the same text node (a framework reusing the row for another order)
    (span.firstChild as Text).data = B;
    // A click re-reading the page refuses at once…
    expect(scanner.isCurrent(host!)).toBe(false);
    // …and the old control stays (never two controls for one occurrence, none yet for B).
    await new Promise((r) => setTimeout(r, 15));
    expect(host!.isConnected).toBe(true);
    expect(hostOrders()).toEqual([A]);
    expect(scanner.isCurrent(host!)).toBe(false);
    await scanner.idle();
    expect(host!.isConnected).toBe(false);
    expect(disposed).toEqual([A]);
    expect(hostOrders()).toEqual([B]);
    expect(scanner.isCurrent(hosts()[0]!)).toBe(true);
    // childList change: the text node replaced (a new node: no control stood beside it yet)
    span.textContent = A;
    await scanner.idle();
    expect(hostOrders()).toEqual([A]);
    expect(disposed).toEqual([A, B]);
  });

  it('restarts the wait while the number keeps changing', async () => {
    document.body.innerHTML = `<p><span id="s">${A}</span></p>`;
    // Wide margins: a loaded CI machine must not make the waits overlap differently.
    const scanner = start({ settleMs: 500 });
    await scanner.idle();
    const text = document.getElementById('s')!.firstChild as Text;
    for (const n of [no(1), no(2), no(3)]) {
      text.data = n;
      await new Promise((r) => setTimeout(r, 40));
      expect(hostOrders()).toEqual([A]);
    }
    await scanner.idle();
    expect(hostOrders()).toEqual([no(3)]);
    expect(mounted.map((o) => o.orderNo)).toEqual([A, no(3)]);
  });

  it('keeps the control when only the text around the number changes', async () => {
    document.body.innerHTML = `<p id="p">Order ${A} (unpaid)</p>`;
    const scanner = start({ settleMs: 1000 });
    await scanner.idle();
    const [host] = hosts();
    (document.getElementById('p')!.firstChild as Text).data = `Order ${A} (paid)`;
    await scanner.idle();
    expect(hosts()).toEqual([host]);
    expect(scanner.isCurrent(host!)).toBe(true);
    expect(mounted).toHaveLength(1);
  });

  it('removes the control when the number text disappears', async () => {
    document.body.innerHTML = `<p><span id="s">${A}</span></p>`;
    const scanner = start();
    await scanner.idle();
    (document.getElementById('s')!.firstChild as Text).data = 'cancelled';
    await new Promise((r) => setTimeout(r, 20));
    expect(hosts()).toEqual([]); // at once: there is no number left to be confused with
    await scanner.idle();
    expect(hosts()).toEqual([]);
    expect(scanner.controls()).toEqual([]);
  });

  it('puts back a control the page removed beside an unchanged number, a bounded number of times', async () => {
    document.body.innerHTML = `<p><span>${A}</span></p>`;
    const scanner = start({ maxReinserts: 2 });
    await scanner.idle();
    for (let i = 0; i < 2; i++) {
      hosts()[0]!.remove();
      await scanner.idle();
      expect(hostOrders()).toEqual([A]);
    }
    hosts()[0]!.remove();
    await scanner.idle();
    expect(hosts()).toEqual([]); // the page keeps removing it: give up rather than fight
  });

  it('ignores numbers in inputs, editable areas and scripts added later', async () => {
    const scanner = start();
    await scanner.idle();
    document.body.insertAdjacentHTML('beforeend', `<textarea>${A}</textarea><div contenteditable="true">${A}</div><script type="x">${A}</script>`);
    await scanner.idle();
    const editable = document.querySelector('[contenteditable]')!;
    editable.append(document.createTextNode(` ${B}`));
    await scanner.idle();
    expect(hosts()).toEqual([]);
  });

  it('undoes everything on abort: controls removed, no more scanning', async () => {
    document.body.innerHTML = `<table><tbody id="rows">${rows([A, B])}</tbody></table>`;
    const scanner = start();
    await scanner.idle();
    controller.abort();
    expect(hosts()).toEqual([]);
    expect(disposed.sort()).toEqual([A, B].sort());
    document.getElementById('rows')!.insertAdjacentHTML('beforeend', rows([no(9)]));
    await new Promise((r) => setTimeout(r, 20));
    await scanner.idle();
    expect(hosts()).toEqual([]);
  });

  it('works through 2,000 rows in slices of about 10 ms of work, yielding to the event loop between them', async () => {
    const numbers = Array.from({ length: 2000 }, (_, i) => no(i + 1));
    document.body.innerHTML = `<table><tbody>${rows(numbers)}</tbody></table>`;
    // A deterministic clock: each control costs 0.1 ms of "work" (a real one costs less in Chromium).
    let clock = 0;
    const perSlice: number[] = [0];
    const scanner = start({
      budgetMs: 10,
      now: () => clock,
      mount: (occurrence) => {
        clock += 0.1;
        perSlice[perSlice.length - 1]!++;
        return fakeMount(occurrence);
      },
      yieldToEventLoop: async () => {
        perSlice.push(0);
        await new Promise((r) => setTimeout(r, 0));
      },
    });
    await scanner.idle();
    expect(hosts()).toHaveLength(2000);
    expect(new Set(hostOrders()).size).toBe(2000);
    // About 100 controls (10 ms) per slice, never more: the page gets the event loop back in between.
    expect(Math.max(...perSlice)).toBeLessThanOrEqual(101);
    expect(perSlice.filter((n) => n > 0).length).toBeGreaterThanOrEqual(20);
  });

  it('keeps real slices short on 2,000 rows', async () => {
    const numbers = Array.from({ length: 2000 }, (_, i) => no(i + 1));
    document.body.innerHTML = `<table><tbody>${rows(numbers)}</tbody></table>`;
    const slices: number[] = [];
    let sliceStart = performance.now();
    const scanner = start({
      budgetMs: 10,
      yieldToEventLoop: async () => {
        slices.push(performance.now() - sliceStart);
        await new Promise((r) => setTimeout(r, 0));
        sliceStart = performance.now();
      },
    });
    await scanner.idle();
    expect(hosts()).toHaveLength(2000);
    expect(slices.length).toBeGreaterThan(1);
    // Typical slices end right after the budget; a busy CI machine may stretch a few (GC, other work).
    const sorted = [...slices].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]!).toBeLessThan(40);
  });

  it('with a clock that runs fast, yields after every budget and still finishes without duplicates', async () => {
    document.body.innerHTML = `<table><tbody id="rows">${rows(Array.from({ length: 50 }, (_, i) => no(i + 1)))}</tbody></table>`;
    let clock = 0;
    let yields = 0;
    const tbody = () => document.getElementById('rows')!;
    const scanner = start({
      budgetMs: 10,
      now: () => (clock += 4),
      yieldToEventLoop: async () => {
        yields++;
        // The page changes during a pause: a row is replaced while we are half-way.
        if (yields === 3) tbody().replaceChild(document.createRange().createContextualFragment(rows([A])).firstElementChild!, tbody().children[40]!);
        await new Promise((r) => setTimeout(r, 0));
      },
    });
    await scanner.idle();
    expect(yields).toBeGreaterThan(10);
    const orders = hostOrders();
    expect(orders).toHaveLength(50);
    expect(new Set(orders).size).toBe(50);
    expect(orders).toContain(A);
    expect(orders).not.toContain(no(41));
  });
});
