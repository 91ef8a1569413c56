// @vitest-environment happy-dom
/** The page's order scanner as a whole: controls mounted, moved and removed as the page changes, and the orders in view served first. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_TAG, type OrderOccurrence } from '@/utils/content/logic/find-orders';
import { startOrderScanner, type MountedControl, type OrderScanner, type ScannerOptions } from '@/utils/content/order-scanner';
import type { Nearness, Resumed } from '@/utils/content/schedule';
import type { WatchViewport } from '@/utils/content/viewport';

const A = 'TESTA20261126090000001';
const B = 'TESTB20261125100000002';
const no = (n: number) => `TESTB2026112510${String(n).padStart(7, '0')}`;

let controller: AbortController;
let disposed: string[];
let mounted: OrderOccurrence[];

function fakeMount(occurrence: OrderOccurrence): MountedControl {
  mounted.push(occurrence);
  const host = document.createElement(CONTROL_TAG);
  host.setAttribute('data-atrip-order', occurrence.orderNo);
  return { host, dispose: () => disposed.push(occurrence.orderNo) };
}

/** An IntersectionObserver stand-in: the test says what is near. */
function fakeViewport() {
  const observed = new Set<Element>();
  let report: (changes: Nearness[]) => void = () => undefined;
  const watch: WatchViewport = (callback) => {
    report = callback;
    return { observe: (t) => observed.add(t), unobserve: (t) => observed.delete(t), disconnect: () => observed.clear() };
  };
  return {
    watch,
    observed,
    /** Reports these targets near (and in view unless said otherwise). */
    near(targets: Element[], inView = true) {
      report(targets.map((target) => ({ target, near: true, inView })));
    },
    /** One IntersectionObserver callback with these changes. */
    report: (changes: Nearness[]) => report(changes),
  };
}

function start(options: Partial<ScannerOptions> = {}) {
  return startOrderScanner(controller.signal, {
    mount: fakeMount,
    schedule: (run) => {
      const timer = setTimeout(run, 0);
      return () => clearTimeout(timer);
    },
    watchViewport: fakeViewport().watch,
    isHidden: () => false,
    // A clock that stands still: one slice does everything (the tests on slicing bring their own).
    now: () => 0,
    // An event loop that does not say whether a frame came: as after a layout (the tests of the
    // time before the first layout say it).
    yieldToEventLoop: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
    ...options,
  });
}

const hosts = () => [...document.querySelectorAll(CONTROL_TAG)];
const hostOrders = () => hosts().map((h) => h.getAttribute('data-atrip-order'));

function rows(numbers: string[]) {
  return numbers.map((n) => `<tr><td><a href="#/order/detail/${n}/zh">${n}</a></td><td>PEK→SHA</td></tr>`).join('');
}

/** Appends rows as a page script would (happy-dom parses `<tr>` only inside a table). */
function appendRows(tbody: Element, numbers: string[]) {
  const table = document.createElement('table');
  table.innerHTML = `<tbody>${rows(numbers)}</tbody>`;
  tbody.append(...table.querySelectorAll('tr'));
}

/** A clock that advances `step` ms per control made: only the first slice's worth is made at once. */
/**
 * A scanner with a fake clock (1 ms a retarget, slices of 30 then 10 ms) over a table of `numbers`,
 * every control made, long after the page's first layout. Each pause records whether the scanner
 * asked to come back before the next layout and how many controls had followed by then; the event
 * loop comes back as `turns` say (then as tasks). `rewrite` rewrites every number in place (Vue 2
 * paging) and waits until the scanner is idle.
 */
async function rewriteScanner(numbers: string[], turns: Resumed[]) {
  document.body.innerHTML = `<table><tbody>${rows(numbers)}</tbody></table>`;
  const viewport = fakeViewport();
  const clock = { now: 0 };
  const retargeted: string[] = [];
  const pauses: { beforeLayout: boolean; followed: number }[] = [];
  const scanner = start({
    budgetMs: 10,
    firstBudgetMs: 30,
    watchViewport: viewport.watch,
    now: () => clock.now,
    mount: (o) => {
      const control = fakeMount(o);
      return {
        ...control,
        retarget: (next) => {
          clock.now += 1;
          retargeted.push(next.orderNo);
          control.host.setAttribute('data-atrip-order', next.orderNo);
        },
      };
    },
    yieldToEventLoop: async (beforeLayout) => {
      pauses.push({ beforeLayout, followed: retargeted.length });
      await new Promise((resolve) => setTimeout(resolve, 0));
      return turns.shift() ?? 'task';
    },
  });
  await scanner.idle();
  viewport.near([...document.querySelectorAll('a')]);
  await scanner.idle();
  expect(hosts()).toHaveLength(numbers.length);
  clock.now += 1000;
  pauses.length = 0;
  const rewrite = async (next: string[]) => {
    document.querySelectorAll('a').forEach((a, i) => ((a.firstChild as Text).data = next[i]!));
    await new Promise((resolve) => setTimeout(resolve, 0)); // the scanner's MutationObserver callback
    await scanner.idle();
  };
  return { pauses, rewrite };
}

function costlyMounts(step: number) {
  const clock = { now: 0 };
  return {
    clock,
    now: () => clock.now,
    mount: (occurrence: OrderOccurrence) => {
      clock.now += step;
      return fakeMount(occurrence);
    },
  };
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
    expect(scanner.found().filter((f) => f.host)).toHaveLength(4);
  });

  it('adds controls to rows rendered later, and never twice for one occurrence', async () => {
    document.body.innerHTML = `<table><tbody id="rows">${rows([A])}</tbody></table>`;
    const scanner = start();
    await scanner.idle();
    const tbody = document.getElementById('rows')!;
    appendRows(tbody, [B]);
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
    appendRows(tbody, second);
    await scanner.idle();
    expect(hostOrders()).toEqual(second);
    expect(disposed.sort()).toEqual([...first].sort());
    expect(scanner.found().map((f) => f.host?.getAttribute('data-atrip-order'))).toEqual(second);
  });

  it('follows a number rewritten in place at once: the old control refuses, then the new number has its own', async () => {
    document.body.innerHTML = `<p><span id="s">${A}</span></p>`;
    const scanner = start();
    await scanner.idle();
    const [host] = hosts();
    expect(scanner.isCurrent(host!)).toBe(true);
    const span = document.getElementById('s')!;
    // characterData change of the same text node (a framework reusing the row for another order).
    (span.firstChild as Text).data = B;
    // A click re-reading the page before the next frame refuses…
    expect(scanner.isCurrent(host!)).toBe(false);
    // …and the next pass (one animation frame in the browser) puts B's control in its place.
    await scanner.idle();
    expect(host!.isConnected).toBe(false);
    expect(disposed).toEqual([A]);
    expect(hostOrders()).toEqual([B]);
    expect(span.nextSibling).toBe(hosts()[0]);
    expect(scanner.isCurrent(hosts()[0]!)).toBe(true);
    // childList change: the text node replaced.
    span.textContent = A;
    await scanner.idle();
    expect(hostOrders()).toEqual([A]);
    expect(disposed).toEqual([A, B]);
  });

  it('refuses a control the page moved beside another number, every text left as it was (placement, not text)', async () => {
    document.body.innerHTML = `<p><span id="a">${A}</span></p><p><span id="b">${B}</span></p>`;
    const scanner = start();
    await scanner.idle();
    const [hostA, hostB] = hosts();
    expect(scanner.isCurrent(hostA!)).toBe(true);
    const b = document.getElementById('b')!;
    b.parentNode!.insertBefore(hostA!, b.nextSibling);
    hostB!.remove();
    expect(scanner.isCurrent(hostA!)).toBe(false);
    // Put back where it was made: current again.
    const a = document.getElementById('a')!;
    a.parentNode!.insertBefore(hostA!, a.nextSibling);
    expect(scanner.isCurrent(hostA!)).toBe(true);
  });

  it('hands the control of a number rewritten in place to the new number, when mount can retarget it', async () => {
    document.body.innerHTML = `<p><span id="s">${A}</span></p>`;
    const retargeted: string[] = [];
    const scanner = start({
      mount: (o) => {
        const mountedControl = fakeMount(o);
        return { ...mountedControl, retarget: (next) => (retargeted.push(next.orderNo), mountedControl.host.setAttribute('data-atrip-order', next.orderNo)) };
      },
    });
    await scanner.idle();
    const [host] = hosts();
    (document.getElementById('s')!.firstChild as Text).data = B;
    expect(scanner.isCurrent(host!)).toBe(false);
    await scanner.idle();
    expect(hosts()).toEqual([host]); // the same host, now B's
    expect(retargeted).toEqual([B]);
    expect(hostOrders()).toEqual([B]);
    expect(scanner.isCurrent(host!)).toBe(true);
    expect(disposed).toEqual([]); // handed over, not unmounted
    expect(scanner.found().map((f) => f.occurrence.orderNo)).toEqual([B]);
  });

  it('gives a rewritten number its control at once even where the rest still waits for the viewport', async () => {
    const numbers = [no(1), no(2), no(3)];
    document.body.innerHTML = `<table><tbody>${rows(numbers)}</tbody></table>`;
    const costly = costlyMounts(20); // the first control spends the whole first slice
    const scanner = start({ ...costly, budgetMs: 10, firstBudgetMs: 10 });
    await scanner.idle();
    expect(hostOrders()).toEqual([no(1)]);
    expect(scanner.found().map((f) => f.occurrence.orderNo)).toEqual(numbers);
    const link = document.querySelector('a')!;
    (link.firstChild as Text).data = no(9);
    await scanner.idle();
    expect(hostOrders()).toEqual([no(9)]); // the others still wait
    expect(link.nextSibling).toBe(hosts()[0]);
  });

  it('keeps the control when only the text around the number changes', async () => {
    document.body.innerHTML = `<p id="p">Order ${A} (unpaid)</p>`;
    const scanner = start();
    await scanner.idle();
    const [host] = hosts();
    (document.getElementById('p')!.firstChild as Text).data = `Order ${A} (paid)`;
    await scanner.idle();
    expect(hosts()).toEqual([host]);
    expect(scanner.isCurrent(host!)).toBe(true);
    expect(mounted).toHaveLength(1);
  });

  it('follows highlighting added around an unchanged number: the old control refuses, the number keeps one control', async () => {
    document.body.innerHTML = `<p><a href="#" id="link">${A}</a></p>`;
    const scanner = start();
    await scanner.idle();
    const [old] = hosts();
    // A search page highlights part of the number: same characters, new markup.
    const link = document.getElementById('link')!;
    link.innerHTML = `TESTA<em>2026</em>1126090000001`;
    expect(scanner.isCurrent(old!)).toBe(false);
    await scanner.idle();
    expect(hostOrders()).toEqual([A]);
    expect(link.nextSibling).toBe(hosts()[0]);
    expect(scanner.isCurrent(hosts()[0]!)).toBe(true);
    // Markup inserted into the number without touching its text: re-read at activation, refused.
    const current = hosts()[0]!;
    link.querySelector('em')!.after(document.createElement('br'));
    expect(scanner.isCurrent(current)).toBe(false);
    await scanner.idle();
    expect(hosts()).toEqual([]);
  });

  it('removes the control when the number text disappears', async () => {
    document.body.innerHTML = `<p><span id="s">${A}</span></p>`;
    const scanner = start();
    await scanner.idle();
    (document.getElementById('s')!.firstChild as Text).data = 'cancelled';
    await scanner.idle();
    expect(hosts()).toEqual([]);
    expect(scanner.found()).toEqual([]);
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

  it('ignores numbers in inputs, editable areas, scripts and tooltips added later', async () => {
    const scanner = start();
    await scanner.idle();
    document.body.insertAdjacentHTML(
      'beforeend',
      `<textarea>${A}</textarea><div contenteditable="true">${A}</div><script type="x">${A}</script><div role="tooltip">${A}</div>`,
    );
    await scanner.idle();
    const editable = document.querySelector('[contenteditable]')!;
    editable.append(document.createTextNode(` ${B}`));
    await scanner.idle();
    expect(hosts()).toEqual([]);
  });

  it('puts the control first in a block that clips its content, when mount says so', async () => {
    document.body.innerHTML = `<div class="cell" id="cell"><a href="#">${A}</a></div>`;
    const scanner = start({ mount: (o) => ({ ...fakeMount(o), atStart: true }) });
    await scanner.idle();
    const cell = document.getElementById('cell')!;
    expect(cell.firstChild).toBe(hosts()[0]);
    expect(scanner.isCurrent(hosts()[0]!)).toBe(true);
  });

  it('undoes everything on abort: controls removed, nothing watched, no more scanning', async () => {
    document.body.innerHTML = `<table><tbody id="rows">${rows([A, B])}</tbody></table>`;
    const viewport = fakeViewport();
    const scanner = start({ watchViewport: viewport.watch });
    await scanner.idle();
    expect(viewport.observed.size).toBe(2);
    controller.abort();
    expect(hosts()).toEqual([]);
    expect(viewport.observed.size).toBe(0);
    expect(disposed.sort()).toEqual([A, B].sort());
    appendRows(document.getElementById('rows')!, [no(9)]);
    await new Promise((r) => setTimeout(r, 20));
    await scanner.idle();
    expect(hosts()).toEqual([]);
  });
});

describe('order scanner: visible first', () => {
  it('makes the first slice of controls at once and the rest as they come near the viewport, in view first', async () => {
    const numbers = Array.from({ length: 2000 }, (_, i) => no(i + 1));
    document.body.innerHTML = `<table><tbody>${rows(numbers)}</tbody></table>`;
    const viewport = fakeViewport();
    const costly = costlyMounts(0.125); // 80 controls per 10 ms slice, 240 in the first (30 ms)
    const scanner = start({ ...costly, budgetMs: 10, watchViewport: viewport.watch });
    await scanner.idle();
    // The top of the list (document order), made before the browser's next layout, no more than
    // a viewport could show (100) though 240 would fit the first slice; every number found.
    expect(hostOrders()).toEqual(numbers.slice(0, 100));
    expect(scanner.found()).toHaveLength(2000);
    // Every waiting number is watched, and only its link (the control goes after it).
    const links = [...document.querySelectorAll('a')];
    expect(links.every((a) => viewport.observed.has(a))).toBe(true);
    // The agent scrolls to the bottom: the rows there come near, those in view first.
    const bottom = links.slice(1960);
    viewport.report(bottom.map((target, i) => ({ target, near: true, inView: i >= 20 })));
    await scanner.idle();
    const made = mounted.map((o) => o.orderNo);
    expect(made.slice(100, 140)).toEqual([...numbers.slice(1980), ...numbers.slice(1960, 1980)]);
    expect(hosts()).toHaveLength(140);
    // Reported near again: nothing twice.
    viewport.near(bottom);
    await scanner.idle();
    expect(mounted).toHaveLength(140);
  });

  /** A page renders `count` rows; reading takes time (~60 numbers a ms), a control 0.125 ms. The pauses of that batch. */
  async function renderRowsAndPause(count: number) {
    const numbers = Array.from({ length: count }, (_, i) => no(i + 1));
    document.body.innerHTML = '<table><tbody></tbody></table>';
    const viewport = fakeViewport();
    const costly = costlyMounts(0.125); // 100 controls take 12.5 ms of the first slice's 30
    const atPause: { made: number; found: number; beforeLayout: boolean }[] = [];
    const scanner: OrderScanner = start({
      ...costly,
      now: () => (costly.clock.now += 0.0033), // (time passes as the scanner reads)
      budgetMs: 10,
      firstBudgetMs: 30,
      watchViewport: viewport.watch,
      yieldToEventLoop: async (beforeLayout) => {
        atPause.push({ made: hosts().length, found: scanner.found().length, beforeLayout });
        await new Promise((resolve) => setTimeout(resolve, 0));
        return 'frame' as const; // then the layout
      },
    });
    await scanner.idle();
    atPause.length = 0;
    appendRows(document.querySelector('tbody')!, numbers); // the page renders its rows
    await scanner.idle();
    expect(scanner.found()).toHaveLength(count);
    expect(hosts()).toHaveLength(100);
    return atPause;
  }

  it('ends the first slice soon after the controls for the first layout are made, not after reading a long list', async () => {
    const atPause = await renderRowsAndPause(2000);
    // The first slice ends within 5 ms of the 100th control (~300 more numbers read), not at its
    // 30 ms (~1,000): the page's task, and the frame with its rows and those controls, are not
    // held back while numbers that get no control yet are read. It asks to come back before that
    // layout, as any slice before it: what is read then is watched for nearness in that layout.
    expect(atPause[0]).toMatchObject({ made: 100, beforeLayout: true });
    expect(atPause[0]!.found).toBeGreaterThan(200);
    expect(atPause[0]!.found).toBeLessThan(600);
  });

  it('reads a page of a few hundred rows to its end before the first layout (its bottom rows watched for nearness in it)', async () => {
    const atPause = await renderRowsAndPause(200);
    // No turn given back: the 100 numbers after the 100th control took ~2 ms.
    expect(atPause).toEqual([]);
  });

  it('until the browser lays new rows out, makes their controls at once: before the frame, and in it before its layout', async () => {
    document.body.innerHTML = '<table><tbody></tbody></table>';
    const viewport = fakeViewport();
    const costly = costlyMounts(1); // 1 ms per control
    // The event loop gives back two tasks before the next frame, then the frame (before its layout).
    const turns: Resumed[] = [];
    const scanner = start({
      ...costly,
      budgetMs: 10,
      firstBudgetMs: 30,
      watchViewport: viewport.watch,
      yieldToEventLoop: async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        return turns.shift();
      },
    });
    await scanner.idle();
    turns.push('task', 'task', 'frame');
    const numbers = Array.from({ length: 200 }, (_, i) => no(i + 1));
    appendRows(document.querySelector('tbody')!, numbers); // the page renders its rows
    await scanner.idle();
    // 30 (the first slice, in the page's task) + 10 + 10 (tasks before the frame) + 10 (in the frame):
    // the top of the list in its first layout; after it, the rest waits for the viewport.
    expect(hostOrders()).toEqual(numbers.slice(0, 60));
    expect(scanner.found()).toHaveLength(200);
    viewport.near([...document.querySelectorAll('a')].slice(60, 70));
    await scanner.idle();
    expect(hostOrders()).toEqual(numbers.slice(0, 70));
  });

  it('follows text rewritten in place before the next layout: past the first slice, it pauses until a task or that frame, not behind it', async () => {
    const numbers = Array.from({ length: 60 }, (_, i) => no(i + 1));
    // The page's next frame comes first after the rewrite.
    const { pauses, rewrite } = await rewriteScanner(numbers, ['frame']);
    const next = numbers.map((_, i) => no(i + 101));
    await rewrite(next);
    expect(hostOrders()).toEqual(next);
    // The first slice (30 ms, in the page's task) asks to come back before the layout; the frame
    // came: one slice in it, before its layout (10 ms); only after that layout plain tasks.
    expect(pauses[0]).toEqual({ beforeLayout: true, followed: 30 });
    expect(pauses[1]).toEqual({ beforeLayout: false, followed: 40 });
    expect(pauses.slice(1).every((p) => !p.beforeLayout)).toBe(true);
  });

  it('reads whether each control is hidden once a slice when numbers are rewritten (a read after a retarget styles the page again)', async () => {
    const numbers = Array.from({ length: 20 }, (_, i) => no(i + 1));
    document.body.innerHTML = `<table><tbody>${rows(numbers)}</tbody></table>`;
    const viewport = fakeViewport();
    const reads = new Map<Element, number>();
    const scanner = start({
      watchViewport: viewport.watch,
      isHidden: (element) => (reads.set(element, (reads.get(element) ?? 0) + 1), false),
      mount: (o) => {
        const control = fakeMount(o);
        return { ...control, retarget: (n) => control.host.setAttribute('data-atrip-order', n.orderNo) };
      },
    });
    await scanner.idle();
    viewport.near([...document.querySelectorAll('a')]);
    await scanner.idle();
    reads.clear();
    document.querySelectorAll('a').forEach((a, i) => ((a.firstChild as Text).data = no(i + 101)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await scanner.idle();
    expect(hostOrders()).toEqual(numbers.map((_, i) => no(i + 101)));
    expect(reads.size).toBe(20);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
  });

  it('keeps coming back before the layout after a rewrite while tasks come first, and only for a while', async () => {
    const numbers = Array.from({ length: 400 }, (_, i) => no(i + 1));
    // Never a frame (a background tab): every turn of the event loop is a task.
    const { pauses, rewrite } = await rewriteScanner(numbers, []);
    await rewrite(numbers.map((_, i) => no(i + 1001)));
    expect(new Set(hostOrders()).size).toBe(400);
    expect(hostOrders()[399]).toBe(no(1400));
    // Before the layout for 200 ms of work (30 + 17 × 10), then plain turns of the event loop.
    const before = pauses.filter((p) => p.beforeLayout).length;
    expect(pauses.slice(0, before).every((p) => p.beforeLayout)).toBe(true);
    expect(before).toBeGreaterThanOrEqual(17);
    expect(before).toBeLessThanOrEqual(19);
    expect(pauses.length).toBeGreaterThan(before);
  });

  it('makes controls at once before a layout only for a while (no frames in a background tab)', async () => {
    document.body.innerHTML = '<table><tbody></tbody></table>';
    const costly = costlyMounts(4); // 4 ms per control: the time runs out before the count (100)
    const scanner = start({
      ...costly,
      budgetMs: 10,
      firstBudgetMs: 30,
      yieldToEventLoop: async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        return 'task' as const; // never a frame
      },
    });
    await scanner.idle();
    const numbers = Array.from({ length: 400 }, (_, i) => no(i + 1));
    appendRows(document.querySelector('tbody')!, numbers);
    await scanner.idle();
    // 200 ms of controls at once (4 ms each), then only as they come near.
    expect(hosts().length).toBeGreaterThanOrEqual(50);
    expect(hosts().length).toBeLessThanOrEqual(53);
    expect(scanner.found()).toHaveLength(400);
  });

  it('never works longer than a slice without giving the event loop back', async () => {
    const numbers = Array.from({ length: 2000 }, (_, i) => no(i + 1));
    document.body.innerHTML = `<table><tbody>${rows(numbers)}</tbody></table>`;
    const viewport = fakeViewport();
    const costly = costlyMounts(0.125);
    const perSlice: number[] = [0];
    const scanner = start({
      ...costly,
      mount: (o) => {
        perSlice[perSlice.length - 1]!++;
        return costly.mount(o);
      },
      budgetMs: 10,
      watchViewport: viewport.watch,
      yieldToEventLoop: async () => {
        perSlice.push(0);
        await new Promise((r) => setTimeout(r, 0));
      },
    });
    await scanner.idle();
    perSlice.push(0); // the report comes in a task of its own
    viewport.near([...document.querySelectorAll('a')]); // everything near at once (a huge viewport)
    await scanner.idle();
    expect(hosts()).toHaveLength(2000);
    expect(new Set(hostOrders()).size).toBe(2000);
    // 80 controls (10 ms) per slice, never more, but in the first of each batch: the load's, made
    // before the browser's next layout, stops at 100 (no viewport shows more); everything coming
    // near at once gets the first slice's 240 (30 ms).
    expect(Math.max(...perSlice)).toBe(240);
    expect(perSlice.filter((n) => n > 80)).toEqual([100, 240]);
    expect(perSlice.filter((n) => n > 0).length).toBeGreaterThanOrEqual(20);
  });

  it('keeps real slices short on 2,000 rows', async () => {
    const numbers = Array.from({ length: 2000 }, (_, i) => no(i + 1));
    document.body.innerHTML = `<table><tbody>${rows(numbers)}</tbody></table>`;
    const viewport = fakeViewport();
    const slices: number[] = [];
    let sliceStart = performance.now();
    const scanner = start({
      budgetMs: 10,
      watchViewport: viewport.watch,
      now: () => performance.now(),
      yieldToEventLoop: async () => {
        slices.push(performance.now() - sliceStart);
        await new Promise((r) => setTimeout(r, 0));
        sliceStart = performance.now();
      },
    });
    await scanner.idle();
    viewport.near([...document.querySelectorAll('a')]);
    await scanner.idle();
    expect(hosts()).toHaveLength(2000);
    expect(slices.length).toBeGreaterThan(1);
    // Typical slices end right after the budget; a busy CI machine may stretch a few (GC, other work).
    const sorted = [...slices].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]!).toBeLessThan(40);
  });

  it('makes the controls of copies the page hides after those of the visible ones', async () => {
    // Fixed table columns: a hidden copy of the column first in the document, the visible one after.
    document.body.innerHTML = `<div id="main" class="hidden"><table><tbody>${rows([A, B])}</tbody></table></div>
      <div id="fixed"><table><tbody>${rows([A, B])}</tbody></table></div>`;
    const viewport = fakeViewport();
    const costly = costlyMounts(20); // the first control spends the first slice; the rest waits
    const scanner = start({ ...costly, budgetMs: 10, firstBudgetMs: 10, watchViewport: viewport.watch, isHidden: (element) => !!element.closest('.hidden') });
    await scanner.idle();
    // They come near together: the visible copy's controls first, then the hidden copy's (unseen,
    // keeping the rows of both copies the same height).
    viewport.near([...document.querySelectorAll('a')]);
    await scanner.idle();
    expect(mounted.map((o) => `${o.anchor.closest('div')!.id}:${o.orderNo}`)).toEqual([`main:${A}`, `fixed:${A}`, `fixed:${B}`, `main:${B}`]);
  });

  it('in its first slice, makes the controls of copies the library marks hidden (is-hidden) after the others', async () => {
    document.body.innerHTML = `<table><tbody><tr><td class="is-hidden"><a href="#">${A}</a></td></tr></tbody></table>
      <table><tbody><tr><td><a href="#">${A}</a></td></tr></tbody></table>`;
    const viewport = fakeViewport();
    const scanner = start({ watchViewport: viewport.watch });
    await scanner.idle();
    expect(mounted.map((o) => o.anchor.closest('td')!.className)).toEqual(['']); // the visible copy at once
    viewport.near([...document.querySelectorAll('a')]);
    await scanner.idle();
    expect(mounted.map((o) => o.anchor.closest('td')!.className)).toEqual(['', 'is-hidden']); // the hidden one when near
  });

  it('before the layout, reads the rows beside a hidden copy last: the visible copy gets its controls in the first slice', async () => {
    // Element UI's fixed column: the table body (its number cells `is-hidden`) comes before the visible copy.
    const hidden = Array.from({ length: 40 }, (_, i) => no(i + 1));
    const visible = hidden.slice(0, 8);
    document.body.innerHTML = '<table><tbody></tbody></table><table class="fixed"><tbody></tbody></table>';
    // Reading costs time too (each clock read 0.2 ms, each control 1 ms): 40 rows read first would spend the first slice.
    const clock = { now: 0 };
    const scanner = start({
      budgetMs: 10,
      firstBudgetMs: 30,
      now: () => (clock.now += 0.2),
      mount: (o) => {
        clock.now += 1;
        return fakeMount(o);
      },
    });
    await scanner.idle();
    // The library renders both copies in one task.
    const [body, fixed] = document.querySelectorAll('tbody');
    appendRows(body!, hidden);
    for (const cell of body!.querySelectorAll('tr > td:first-child')) cell.className = 'is-hidden';
    appendRows(fixed!, visible);
    await scanner.idle();
    expect(mounted.map((o) => o.anchor.closest('table')!.className)).toEqual(Array(8).fill('fixed'));
    expect(scanner.found()).toHaveLength(48); // the hidden copies are read all the same, after
  });

  it('new rows put in while a pass waits for its next slice are made at once, as before any layout', async () => {
    document.body.innerHTML = '<table><tbody></tbody></table>';
    const costly = costlyMounts(1);
    const tbody = document.querySelector('tbody')!;
    const numbers = Array.from({ length: 55 }, (_, i) => no(i + 1));
    let turn = 0;
    const scanner = start({
      ...costly,
      budgetMs: 10,
      firstBudgetMs: 30,
      yieldToEventLoop: async () => {
        turn++;
        // The page renders more rows while the pass waits, right after the frame it ran in (turn 2).
        if (turn === 2) appendRows(tbody, numbers.slice(45));
        await new Promise((resolve) => setTimeout(resolve, 0));
        return turn === 1 ? 'frame' : 'task';
      },
    });
    await scanner.idle();
    appendRows(tbody, numbers.slice(0, 45));
    await scanner.idle();
    // 30 + 10 in the frame; then the new rows reopen the window (not yet laid out): everything at once.
    expect(hostOrders()).toEqual(numbers);
  });

  it('makes the controls of numbers reported in view at once while a pass waits for its next slice', async () => {
    const numbers = Array.from({ length: 300 }, (_, i) => no(i + 1));
    document.body.innerHTML = `<table><tbody>${rows(numbers)}</tbody></table>`;
    const viewport = fakeViewport();
    const costly = costlyMounts(1);
    let hold = false;
    let release: (() => void) | null = null;
    const scanner = start({
      ...costly,
      budgetMs: 10,
      firstBudgetMs: 30,
      watchViewport: viewport.watch,
      yieldToEventLoop: () =>
        new Promise<void>((resolve) => {
          if (hold) {
            hold = false;
            release = resolve;
          } else setTimeout(resolve, 0);
        }),
    });
    await scanner.idle();
    expect(hosts()).toHaveLength(30); // the first slice, before the layout
    const links = [...document.querySelectorAll('a')];
    hold = true;
    viewport.near(links.slice(100, 200), false); // a long way of look-ahead: the pass pauses after its first slice
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(release).not.toBeNull();
    const before = mounted.length;
    viewport.near(links.slice(250, 255)); // in view, while the page's tasks run (the pass is waiting)
    const made = mounted.slice(before).map((o) => o.orderNo);
    expect(made.slice(0, 5)).toEqual(numbers.slice(250, 255)); // at once, in the report's own callback
    release!();
    await scanner.idle();
    expect(hosts()).toHaveLength(135);
    expect(new Set(hostOrders()).size).toBe(135);
  });

  it('follows numbers rewritten in place in the visible copy first, the hidden copy after', async () => {
    document.body.innerHTML = `<div id="main" class="hidden"><p><span>${A}</span></p></div><div id="fixed"><p><span>${A}</span></p></div>`;
    const viewport = fakeViewport();
    const order: string[] = [];
    const scanner = start({
      watchViewport: viewport.watch,
      isHidden: (element) => !!element.closest('.hidden'),
      mount: (o) => {
        order.push(`mount ${o.anchor.closest('div')!.id}:${o.orderNo}`);
        const control = fakeMount(o);
        return {
          ...control,
          retarget: (next) => {
            order.push(`retarget ${next.anchor.closest('div')!.id}:${next.orderNo}`);
            control.host.setAttribute('data-atrip-order', next.orderNo);
          },
        };
      },
    });
    await scanner.idle();
    viewport.near([...document.querySelectorAll('span')]);
    await scanner.idle();
    order.length = 0;
    for (const span of document.querySelectorAll('span')) (span.firstChild as Text).data = B;
    await scanner.idle();
    expect(order).toEqual([`retarget fixed:${B}`, `mount main:${B}`]);
    expect(hostOrders()).toEqual([B, B]);
  });

  it('with a clock that runs fast, yields after every budget and still finishes without duplicates', async () => {
    document.body.innerHTML = `<table><tbody id="rows">${rows(Array.from({ length: 50 }, (_, i) => no(i + 1)))}</tbody></table>`;
    let clock = 0;
    let yields = 0;
    const tbody = () => document.getElementById('rows')!;
    const viewport = fakeViewport();
    const scanner = start({
      budgetMs: 10,
      watchViewport: viewport.watch,
      now: () => (clock += 4),
      yieldToEventLoop: async () => {
        yields++;
        // The page changes during a pause: a row is replaced while we are half-way.
        if (yields === 3) tbody().replaceChild(document.createRange().createContextualFragment(rows([A])).firstElementChild!, tbody().children[40]!);
        await new Promise((r) => setTimeout(r, 0));
      },
    });
    await scanner.idle();
    viewport.near([...document.querySelectorAll('a')]);
    await scanner.idle();
    expect(yields).toBeGreaterThan(10);
    const orders = hostOrders();
    expect(orders).toHaveLength(50);
    expect(new Set(orders).size).toBe(50);
    expect(orders).toContain(A);
    expect(orders).not.toContain(no(41));
  });
});
