// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoTranslate, mountControl, mountSelectionBar, sharedStyles, type ControlEnvironment } from '@/components/control/mount';
import { findOrders } from '@/utils/content/logic/find-orders';
import type { WatchViewport } from '@/utils/content/viewport';
import { fakeStore, tick, translate, trustedClick } from './control-fixtures';

// happy-dom lays nothing out (no boxes, no hit-testing): the visibility verdict is tested on its own
// (visibility.test.ts) and in the browsers (test/e2e/stories/hostile-page.test.ts).
vi.mock('@/utils/content/visibility', async (original) => ({
  ...(await original<typeof import('@/utils/content/visibility')>()),
  judgeVisibility: () => null,
}));


const A = 'TESTA20261126090000001';
const B = 'TESTA20261126090000002';

/** The occurrence of a number shown in the page, in a cell with this style. */
function shown(orderNo: string, cellStyle = '') {
  const cell = document.createElement('div');
  cell.setAttribute('style', cellStyle);
  cell.innerHTML = `<a href="#">${orderNo}</a>`;
  document.body.append(cell);
  return findOrders(cell)[0]!;
}

/** Everything watched is near the viewport at once. */
const allNear: WatchViewport = (report) => ({
  observe: (target) => queueMicrotask(() => report([{ target, near: true, inView: true }])),
  unobserve: () => undefined,
  disconnect: () => undefined,
});

function environment() {
  const fixture = fakeStore();
  const env: ControlEnvironment = { store: fixture.store, styles: sharedStyles('.c { color: red; }'), translate, lang: 'en' };
  return { ...fixture, env };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('mountControl', () => {
  it('makes an <atrip-stop-control> host with the contract attributes and an open shadow root', async () => {
    const { env, store } = environment();
    const mounted = mountControl(shown(A), () => true, env);
    document.body.append(mounted.host);
    await tick(5);
    const host = mounted.host;
    expect(mounted.atStart).toBe(false);
    expect(host.localName).toBe('atrip-stop-control');
    expect(host.getAttribute('data-atrip-order')).toBe(A);
    expect(host.getAttribute('data-state')).toBe('idle');
    expect(host.shadowRoot).not.toBeNull();
    expect(host.shadowRoot!.mode).toBe('open');
    expect(host.shadowRoot!.querySelector('button')!.getAttribute('aria-label')).toBe(`Stop ticketing of order ${A}`);
    // Inline beside the number whatever the page's CSS says (inline style beats page rules).
    expect((host as HTMLElement).style.display).toBe('inline-block');
    // Hidden where the page hides the number (`all: initial` would reset the inherited visibility).
    expect((host as HTMLElement).style.visibility).toBe('inherit');
    expect(store.distinctOrders()).toBe(1);
    mounted.dispose();
    expect(store.distinctOrders()).toBe(0);
    expect(host.shadowRoot!.querySelector('button')).toBeNull();
  });

  it('follows another number on the same host, as a new control would (nothing of the old kept)', async () => {
    const { env, store } = environment();
    const mounted = mountControl(shown(A), () => true, env);
    document.body.append(mounted.host);
    await tick(5);
    trustedClick(mounted.host.shadowRoot!.querySelector('button')!);
    expect(mounted.host.shadowRoot!.textContent).toContain(`Stop ticketing of order ${A}?`); // confirming A
    mounted.retarget!(shown(B));
    expect(mounted.host.getAttribute('data-atrip-order')).toBe(B);
    const shadow = mounted.host.shadowRoot!;
    expect(shadow.querySelector('button')!.getAttribute('aria-label')).toBe(`Stop ticketing of order ${B}`);
    expect(shadow.textContent).not.toContain(A); // A's confirmation is gone with it
    expect(store.distinctOrders()).toBe(1);
  });

  it('keeps its clicks from the page (a row that opens the order on click)', async () => {
    const { env } = environment();
    const row = document.createElement('div');
    const onRowClick = vi.fn();
    row.addEventListener('click', onRowClick);
    document.body.append(row);
    const mounted = mountControl(shown(A), () => true, env);
    row.append(mounted.host);
    await tick(5);
    trustedClick(mounted.host.shadowRoot!.querySelector('button')!);
    expect(onRowClick).not.toHaveBeenCalled();
    expect(mounted.host.shadowRoot!.textContent).toContain('Confirm stop');
  });

  it('is compact, first in the cell, over its background, where the cell clips its content', async () => {
    const { env } = environment();
    const clipping = 'overflow-x: hidden; white-space: nowrap; background-color: rgb(250, 250, 250)';
    const occurrence = shown(A, clipping);
    const mounted = mountControl(occurrence, () => true, env);
    // A kind of cell not seen yet: after the number at first (no style read while the page's new
    // rows are unstyled), moved once the page has been painted.
    expect(mounted.atStart).toBe(false);
    occurrence.anchor.after(mounted.host);
    await tick(60);
    const cell = occurrence.anchor.parentElement!;
    expect(cell.firstChild).toBe(mounted.host);
    expect(mounted.atStart).toBe(true);
    const style = (mounted.host as HTMLElement).style;
    // Takes no room (the page's layout does not move), yet has a box: 1 px wide, 1 px of negative margin.
    expect([style.width, style.marginRight]).toEqual(['1px', '-1px']);
    expect(style.getPropertyValue('--atrip-bg')).toBe('rgb(250, 250, 250)');
    const button = mounted.host.shadowRoot!.querySelector('button')!;
    expect(button.getAttribute('aria-label')).toBe(`Stop ticketing of order ${A}`);
    expect(button.textContent).toBe(''); // a stop mark; the words in the title and the accessible name
    expect(button.title).toBe('Stop ticketing');
    // The same control, made compact (not a second one beside it).
    expect([...mounted.host.shadowRoot!.querySelectorAll('.control')].map((control) => control.className)).toEqual(['control compact']);
    // The next cell of that kind: first at once.
    const next = mountControl(shown(B, clipping), () => true, env);
    expect(next.atStart).toBe(true);
    expect((next.host as HTMLElement).style.width).toBe('1px');
  });

  it('shares one stylesheet between all shadow roots, or falls back to a <style> per root', () => {
    const styles = sharedStyles('.c { color: red; }');
    const a = document.createElement('div').attachShadow({ mode: 'open' });
    const b = document.createElement('div').attachShadow({ mode: 'open' });
    styles.apply(a);
    styles.apply(b);
    expect(a.adoptedStyleSheets).toHaveLength(1);
    expect(a.adoptedStyleSheets[0]).toBe(b.adoptedStyleSheets[0]);

    const refusing = sharedStyles('.c { color: blue; }');
    const c = document.createElement('div').attachShadow({ mode: 'open' });
    Object.defineProperty(c, 'adoptedStyleSheets', {
      set() {
        throw new Error('Sharing constructed stylesheets in multiple documents is not allowed');
      },
    });
    refusing.apply(c);
    expect(c.querySelector('style')!.textContent).toBe('.c { color: blue; }');
  });
});

describe('mountSelectionBar', () => {
  it('adds one <atrip-stop-bar> with an open shadow root, removed again', () => {
    const { env } = environment();
    const remove = mountSelectionBar(env);
    const bar = document.querySelector('atrip-stop-bar')!;
    expect(bar.shadowRoot!.mode).toBe('open');
    remove();
    expect(document.querySelector('atrip-stop-bar')).toBeNull();
  });
});

describe('memoTranslate', () => {
  it('asks the browser once per key and fills $1… itself', () => {
    const raw = vi.fn((key: string, subs?: string | string[]) => translate(key, subs));
    const memo = memoTranslate(raw);
    for (let i = 0; i < 100; i++) {
      expect(memo('controlStop')).toBe('Stop ticketing');
      expect(memo('controlStopLabel', `TESTA2026112609${String(i).padStart(7, '0')}`)).toBe(`Stop ticketing of order TESTA2026112609${String(i).padStart(7, '0')}`);
    }
    expect(memo('controlSentSelected', '3')).toBe('3 stop requests sent');
    expect(raw).toHaveBeenCalledTimes(3);
  });
});

describe('page store notifications', () => {
  it('tells every control about the page only when it goes from one order to several and back', async () => {
    const { store } = fakeStore();
    const listener = vi.fn();
    store.subscribePage(listener);
    await tick(5); // the configured check
    listener.mockClear();
    for (let i = 0; i < 2000; i++) store.addOccurrence(`TESTB2026112510${String(i).padStart(7, '0')}`);
    expect(listener).toHaveBeenCalledTimes(1); // 1 → 2 orders, not once per order
    expect(store.multi()).toBe(true);
    for (let i = 1; i < 2000; i++) store.removeOccurrence(`TESTB2026112510${String(i).padStart(7, '0')}`);
    expect(listener).toHaveBeenCalledTimes(2);
    expect(store.multi()).toBe(false);
  });
});

describe('content script features', () => {
  it('undo everything they added when the signal aborts (extension reloaded or updated)', async () => {
    const orderControls = await import('@/entrypoints/content/features/order-controls');
    const selectionBar = await import('@/entrypoints/content/features/selection-bar');
    const { env } = environment();
    document.body.innerHTML = `<table><tbody><tr><td><a href="#">${A}</a></td></tr><tr><td><a href="#">TESTA20261126090000002</a></td></tr></tbody></table>`;
    const controller = new AbortController();
    const scanner = orderControls.init(controller.signal, env, {
      watchViewport: allNear,
      schedule: (run) => {
        const timer = setTimeout(run, 0);
        return () => clearTimeout(timer);
      },
    });
    selectionBar.init(controller.signal, env);
    await scanner.idle();
    await tick(5);
    expect(document.querySelectorAll('atrip-stop-control')).toHaveLength(2);
    expect(document.querySelectorAll('atrip-stop-bar')).toHaveLength(0); // only once something is selected
    env.store.setSelected(A, true);
    expect(document.querySelectorAll('atrip-stop-bar')).toHaveLength(1);
    env.store.clearSelection();
    expect(document.querySelectorAll('atrip-stop-bar')).toHaveLength(1); // stays, empty, for the next time
    controller.abort();
    expect(document.querySelectorAll('atrip-stop-control, atrip-stop-bar')).toHaveLength(0);
    expect(env.store.distinctOrders()).toBe(0);
    // No observer left: rows added now get nothing.
    document.querySelector('tbody')!.insertAdjacentHTML('beforeend', `<tr><td><a href="#">TESTA20261126090000003</a></td></tr>`);
    await tick(150);
    expect(document.querySelectorAll('atrip-stop-control')).toHaveLength(0);
  });
});
