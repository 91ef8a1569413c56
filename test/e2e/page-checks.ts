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
 * `visibility` property, a box in the viewport, and what is at the end of that box, all its height,
 * is that element (not clipped away by a scrolling table, nor covered by another copy or overlay).
 */
export const checkControls = ({ numbers, cell }: { numbers: string; cell: string }): ControlCheck => {
  const shown = (element: Element) => {
    const r = element.getBoundingClientRect();
    const inView = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
    if (!inView || !element.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    // Not scrolled out of its table (not even in part), nor covered by another copy or by the
    // table's own overlays (a virtual table's scrollbar lies over its last row): the agent can point
    // at its end all the way down, every 2 px from top to bottom. (Only the top and the bottom were
    // tried before: a 6 px scrollbar between them passed for a Firefox-sized number, not its control.)
    const x = Math.min(r.right - 2, innerWidth - 1);
    const lines: number[] = [];
    for (let y = r.top + 2; y < r.bottom - 2; y += 2) lines.push(y);
    lines.push(r.bottom - 2);
    return lines.every((y) => {
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

/**
 * The open confirmation of the order's control inside `within` (the first whose Confirm button is on
 * show), or null: where its Confirm is, whether it takes input yet, how many elements of the control
 * say "Stop ticketing of order <orderNo>?" (English UI), and whether it is the one popover shown in
 * the top layer.
 */
export const openConfirmation = ({ orderNo, within }: { orderNo: string; within: string }) => {
  for (const host of document.querySelectorAll(`${within} atrip-stop-control[data-atrip-order="${orderNo}"]`)) {
    const root = host.shadowRoot;
    const confirm = root
      ? [...root.querySelectorAll('button')].find(
          (b) => /Confirm/.test(b.getAttribute('aria-label') || b.textContent || '') && b.checkVisibility({ visibilityProperty: true }),
        )
      : undefined;
    if (!root || !confirm) continue;
    const question = `Stop ticketing of order ${orderNo}?`;
    const says = (element: Element) => (element.textContent ?? '').replace(/\s+/g, ' ').includes(question);
    // The innermost elements holding the question (as a text query finds it).
    const naming = [...root.querySelectorAll('*')].filter((e) => says(e) && ![...e.children].some(says)).length;
    const popovers = [...root.querySelectorAll('.confirm')];
    const r = confirm.getBoundingClientRect();
    return {
      enabled: !confirm.disabled,
      center: { x: r.left + r.width / 2, y: r.top + r.height / 2 },
      naming,
      inTopLayer: popovers.length === 1 && popovers[0]!.matches(':popover-open'),
    };
  }
  return null;
};
