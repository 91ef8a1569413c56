/**
 * Puts the controls' views into the page: one shadow root per control (host `<atrip-stop-control>`)
 * and one for the selection bar (`<atrip-stop-bar>`), all sharing ONE constructed stylesheet
 * (`adoptedStyleSheets`), so 2,000 controls do not parse 2,000 copies of the CSS.
 */
import { BAR_TAG, CONTROL_TAG, blockOf, findOrders, type OrderOccurrence } from '@/utils/content/logic/find-orders';
import { insertFirst, type MountedControl } from '@/utils/content/logic/control-registry';
import { createPageStore, type PageStore, type StoreDeps } from '@/utils/content/logic/page-store';
import { BAR_HOST_STYLE, placementFor } from '@/utils/content/placement';
import { SelectionBar } from './SelectionBar';
import { StopControl, type Translate } from './StopControl';

/**
 * Production builds close the shadow roots: page scripts cannot reach our buttons (to focus Confirm
 * before the agent presses Enter, say). The `e2e` (and development, unit-test) builds keep them
 * open: tests reach into them (shared/contract.md).
 */
const SHADOW_MODE: ShadowRootMode = import.meta.env.MODE === 'production' ? 'closed' : 'open';

/** One stylesheet for every shadow root of the page. */
export interface Styles {
  apply(shadow: ShadowRoot): void;
}

/** Adopts ONE constructed sheet everywhere; a `<style>` per root where the browser refuses that. */
export function sharedStyles(css: string): Styles {
  let sheet: CSSStyleSheet | null = null;
  let adoptable = true;
  return {
    apply(shadow) {
      if (adoptable) {
        try {
          if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(css);
          shadow.adoptedStyleSheets = [sheet];
          return;
        } catch {
          // Firefox content scripts (Xray wrappers) may refuse a sheet built here: fall back below.
          adoptable = false;
        }
      }
      const style = document.createElement('style');
      style.textContent = css;
      shadow.append(style);
    },
  };
}

/** Page handlers on ancestors (a row that opens the order on click…) must not see our events. */
const CONTAINED_EVENTS = ['click', 'dblclick', 'mousedown', 'pointerdown', 'keydown', 'keyup'];

const stop = (event: Event) => event.stopPropagation();

function contain(host: Element) {
  for (const type of CONTAINED_EVENTS) host.addEventListener(type, stop);
}

/**
 * Remembers labels: every control asks for the same few, and each `i18n.getMessage` is a call into
 * the browser (profiled: without this, most of the time spent making controls). A label with
 * substitutions is fetched once as a template with markers for $1…$9.
 */
export function memoTranslate(translate: Translate): Translate {
  const MARKERS = Array.from({ length: 9 }, (_, i) => String.fromCharCode(0xe000 + i)); // private-use chars
  const templates = new Map<string, string>();
  const template = (key: string) => {
    let text = templates.get(key);
    if (text === undefined) templates.set(key, (text = translate(key, MARKERS)));
    return text;
  };
  return (key, substitutions) => {
    const subs = substitutions === undefined ? [] : [substitutions].flat();
    return template(key).replace(/[\ue000-\ue008]/g, (marker) => subs[marker.charCodeAt(0) - 0xe000] ?? '');
  };
}

export interface ControlEnvironment {
  store: PageStore;
  styles: Styles;
  translate: Translate;
  lang: 'en' | 'zh';
}

/**
 * A control for one order, not yet in the page: the scanner places its host (first in its cell when
 * `atStart`). Where the kind of cell is new, it may move there itself once the page is painted.
 */
export function mountControl(occurrence: OrderOccurrence, isCurrent: (host: Element) => boolean, env: ControlEnvironment): MountedControl {
  let { orderNo } = occurrence;
  const host = document.createElement(CONTROL_TAG);
  host.setAttribute('data-atrip-order', orderNo);
  host.setAttribute('data-state', 'idle');
  const shadow = host.attachShadow({ mode: SHADOW_MODE });
  env.styles.apply(shadow);
  contain(host);
  env.store.addOccurrence(orderNo);
  // The host's inline style as we set it: an activation finds out whether the page rewrote it.
  let hostStyle: string | null = null;
  let disposed = false;
  let control: StopControl | null = null;
  let drawn = '';
  const draw = () => {
    // A new number is a new control: nothing of the old one's state (a confirmation…) is kept.
    if (control && drawn === orderNo) return control.setCompact(mounted.atStart);
    control?.dispose();
    drawn = orderNo;
    control = new StopControl({
      orderNo,
      store: env.store,
      host,
      isCurrent: () => isCurrent(host),
      translate: env.translate,
      lang: env.lang,
      pageHref: () => location.href,
      hostStyle: () => hostStyle,
      compact: mounted.atStart,
    });
    shadow.append(control.element);
  };
  const placement = placementFor(occurrence.text, (decided) => {
    const block = blockOf(occurrence.text);
    if (disposed || !block || !host.isConnected) return;
    mounted.atStart = decided.atStart;
    host.setAttribute('style', (hostStyle = decided.style));
    insertFirst(block, host);
    draw();
  });
  host.setAttribute('style', (hostStyle = placement.style));
  const mounted: MountedControl = {
    host,
    atStart: placement.atStart,
    dispose() {
      if (disposed) return;
      disposed = true;
      control?.dispose();
      env.store.removeOccurrence(orderNo);
    },
    retarget(next) {
      env.store.removeOccurrence(orderNo);
      orderNo = next.orderNo;
      occurrence = next;
      host.setAttribute('data-atrip-order', orderNo);
      env.store.addOccurrence(orderNo);
      draw();
    },
  };
  draw();
  return mounted;
}

/** A store that reaches nothing: the warm-up's control must not read storage or ask the background. */
const UNREACHABLE: StoreDeps = {
  send: async () => ({ ok: false, error: '' }),
  loadRecords: async () => new Map(),
  watch: () => () => undefined,
  isConfigured: async () => false,
  now: () => Date.now(),
};

/**
 * Finds and makes one control in a cell that is not in the page, and throws it away: the first
 * real controls are made in the one slice before the page's first layout of its rows (what misses
 * it waits ~a frame of that layout), and cold they cost ~10× more each — the stylesheet parsed,
 * the code compiled on first call, the labels fetched from the browser (measured: 14 controls in
 * the first 30 ms slice cold, ~60 warm). Nothing of the page, the store or storage is touched.
 */
export function warmUp(env: ControlEnvironment) {
  const cell = document.createElement('td');
  cell.append(`WARMU${'0'.repeat(17)}`);
  const [occurrence] = findOrders(cell);
  if (!occurrence) return;
  const store = createPageStore(UNREACHABLE);
  try {
    mountControl(occurrence, () => false, { ...env, store }).dispose();
  } finally {
    store.dispose();
  }
}

/** The selection bar, appended to the page; returns its removal. */
export function mountSelectionBar(env: ControlEnvironment): () => void {
  const host = document.createElement(BAR_TAG);
  host.setAttribute('style', BAR_HOST_STYLE);
  const shadow = host.attachShadow({ mode: SHADOW_MODE });
  env.styles.apply(shadow);
  contain(host);
  const bar = new SelectionBar({ store: env.store, translate: env.translate, host, hostStyle: BAR_HOST_STYLE });
  shadow.append(bar.element);
  (document.body ?? document.documentElement).append(host);
  return () => {
    bar.dispose();
    host.remove();
  };
}
