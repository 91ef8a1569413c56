/**
 * Checks run inside a portal page (plain functions for `page.evaluate`, no imports, no closures):
 * the same in Playwright and Puppeteer, Chromium and Firefox.
 */

export interface ControlCheck {
  /** Order numbers shown and visible in the viewport, as the agent reads them. */
  seen: string[];
  /** What is wrong: a visible number without exactly one visible control for it, or a visible control without its number. */
  problems: string[];
}

/**
 * Every order number the agent can see (elements matching `numbers` that are visible and in the
 * viewport) has exactly one visible control in its cell (`cell`), for that number; and no visible
 * control shows anywhere else (hidden copies, stale numbers). "Visible": `checkVisibility` with the
 * `visibility` property, a box in the viewport, and what is at the end of that box is that element
 * (not clipped away by a scrolling table, nor covered by another copy).
 */
export const checkControls = ({ numbers, cell }: { numbers: string; cell: string }): ControlCheck => {
  const shown = (element: Element) => {
    const r = element.getBoundingClientRect();
    const inView = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
    if (!inView || !element.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    // Not scrolled out of its table (not even in part), nor covered by another copy: the agent can
    // point at the top and the bottom of its end.
    const x = Math.min(r.right - 2, innerWidth - 1);
    return [r.top + 2, r.bottom - 2].every((y) => {
      const hit = document.elementFromPoint(x, y);
      return !!hit && (element.contains(hit) || hit.localName === 'atrip-stop-control');
    });
  };
  const shownControl = (host: Element) => {
    const ui = host.shadowRoot?.querySelector('.control');
    return !!ui && shown(ui);
  };
  const read = (text: string | null) => (text ?? '').replace(/[\u00ad\u200b-\u200d\u2060\ufeff\s]/g, '');
  const seen: string[] = [];
  const problems: string[] = [];
  const accounted = new Set<Element>();
  for (const element of document.querySelectorAll(numbers)) {
    if (!shown(element)) continue;
    const orderNo = read(element.textContent);
    const box = element.closest(cell) ?? element.parentElement!;
    const controls = [...box.querySelectorAll('atrip-stop-control')].filter(shownControl);
    controls.forEach((c) => accounted.add(c));
    seen.push(orderNo);
    const found = controls.map((c) => c.getAttribute('data-atrip-order'));
    if (found.length !== 1 || found[0] !== orderNo) problems.push(`${orderNo}: ${found.join(', ') || 'no control'}`);
  }
  for (const host of document.querySelectorAll('atrip-stop-control')) {
    if (shownControl(host) && !accounted.has(host)) problems.push(`a visible control for ${host.getAttribute('data-atrip-order')} without its number`);
  }
  return { seen, problems };
};

/**
 * Records, in the page, when order numbers (`numbers`) are next rewritten or added and when the
 * last control was inserted after that: `window.__follow` = { rewrittenAt, lastControlAt }.
 */
export const armFollowProbe = ({ numbers }: { numbers: string }) => {
  const probe = { rewrittenAt: 0, lastControlAt: 0 };
  (window as unknown as { __follow: typeof probe }).__follow = probe;
  const observer = new MutationObserver((records) => {
    const now = performance.now();
    for (const record of records) {
      const target = record.target.nodeType === 3 ? record.target.parentElement : (record.target as Element);
      const rewritten = !!target?.closest(numbers) || [...record.addedNodes].some((n) => n.nodeType === 1 && (n as Element).querySelector(numbers));
      if (!probe.rewrittenAt && rewritten) probe.rewrittenAt = now;
      if (probe.rewrittenAt && [...record.addedNodes].some((n) => n.nodeName === 'ATRIP-STOP-CONTROL')) probe.lastControlAt = now;
    }
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
};

export const readFollowProbe = () => (window as unknown as { __follow: { rewrittenAt: number; lastControlAt: number } }).__follow;

/** The center of an element's box (the host of a control: its main button), in viewport pixels. */
export const buttonCenter = ({ orderNo, within }: { orderNo: string; within: string }) => {
  const host = [...document.querySelectorAll(`${within} atrip-stop-control[data-atrip-order="${orderNo}"]`)].find((h) =>
    h.shadowRoot?.querySelector('button')?.checkVisibility({ visibilityProperty: true }),
  );
  const r = host?.shadowRoot?.querySelector('button')?.getBoundingClientRect();
  return r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
};

/** What the element under a point is: our control's host (the order it is for) or something else. */
export const hitTest = ({ x, y }: { x: number; y: number }) => {
  const element = document.elementFromPoint(x, y);
  return element?.localName === 'atrip-stop-control' ? element.getAttribute('data-atrip-order') : (element?.localName ?? null);
};

/** The control focused now (through its shadow root), or null. */
export const focusedControl = () => {
  const active = document.activeElement;
  if (active?.localName !== 'atrip-stop-control') return null;
  const inner = active.shadowRoot?.activeElement;
  return {
    orderNo: active.getAttribute('data-atrip-order'),
    what: inner?.localName ?? '',
    visible: !!inner && inner.checkVisibility({ visibilityProperty: true }),
  };
};
