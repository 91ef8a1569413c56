/**
 * Puts the Preact UIs into the page: one open shadow root per control (host `<atrip-stop-control>`)
 * and one for the selection bar (`<atrip-stop-bar>`), all sharing ONE constructed stylesheet
 * (`adoptedStyleSheets`), so 2,000 controls do not parse 2,000 copies of the CSS.
 */
import { render } from 'preact';
import { BAR_TAG, CONTROL_TAG, blockOf, clipsInline, type OrderOccurrence } from '@/utils/page/find-orders';
import type { MountedControl } from '@/utils/page/order-scanner';
import type { PageStore } from './page-store';
import { SelectionBar } from './SelectionBar';
import { StopControl, type Translate } from './StopControl';

/**
 * Inline styles of the host: they beat any page rule without `!important` (a `:host` rule does
 * not), so a page's `td > *` or `* { display: block }` cannot take our layout apart.
 */
/** The page's font family (only that is inherited; sizes are ours, in px), so the control blends in. */
const HOST_FONT = 'font-family: inherit;';
/**
 * `visibility: inherit`: copies of a number the page hides (the hidden duplicate cells of fixed table
 * columns) hide their control too — `all: initial` alone would make it visible and focusable there.
 */
const CONTROL_HOST_STYLE = `all: initial; display: inline-block; vertical-align: middle; line-height: 1; visibility: inherit; ${HOST_FONT}`;
/** Right after the number. */
const AFTER_STYLE = 'margin: 0 0 0 6px;';
/**
 * First in a block that clips its content (`overflow: hidden; white-space: nowrap`, or a flex row),
 * where a control after the number would be cut off: zero-width, so the page's layout does not
 * move, the compact control drawn over the start of the number (the letters every order of the
 * agent shares) on the background behind it; the end of the number, which tells orders apart,
 * stays in sight. The confirmation names the number in full.
 */
const startStyle = (background: string) => `width: 0; position: relative; z-index: 1; --atrip-bg: ${background};`;

/** The first opaque background behind an element: a control drawn over clipped text hides what is under it. */
function backgroundBehind(element: Element | null): string {
  for (; element; element = element.parentElement) {
    const color = getComputedStyle(element).backgroundColor;
    if (color && color !== 'transparent' && !/, 0\)$/.test(color)) return color;
  }
  return '#fff';
}

const BAR_HOST_STYLE = `all: initial; position: fixed; z-index: 2147483646; right: 16px; bottom: 16px; display: block; ${HOST_FONT}`;

export class Styles {
  private sheet: CSSStyleSheet | null = null;
  private adoptable = true;
  constructor(private readonly css: string) {}

  apply(shadow: ShadowRoot) {
    if (this.adoptable) {
      try {
        if (!this.sheet) {
          this.sheet = new CSSStyleSheet();
          this.sheet.replaceSync(this.css);
        }
        shadow.adoptedStyleSheets = [this.sheet];
        return;
      } catch {
        // Firefox content scripts (Xray wrappers) may refuse a sheet built here: fall back below.
        this.adoptable = false;
      }
    }
    const style = document.createElement('style');
    style.textContent = this.css;
    shadow.append(style);
  }
}

/** Page handlers on ancestors (a row that opens the order on click…) must not see our events. */
const CONTAINED_EVENTS = ['click', 'dblclick', 'mousedown', 'pointerdown', 'keydown', 'keyup'];

function contain(host: Element) {
  for (const type of CONTAINED_EVENTS) host.addEventListener(type, (event) => event.stopPropagation());
}

/**
 * Remembers labels: 2,000 controls ask for the same few, and each `i18n.getMessage` is a call into
 * the browser. A label with substitutions is fetched once as a template with markers for $1…$9.
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

/** A control for one order, not yet in the page (the scanner places its host, first in its block when `atStart`). */
export function mountControl(occurrence: OrderOccurrence, isCurrent: (host: Element) => boolean, env: ControlEnvironment): MountedControl {
  const { orderNo } = occurrence;
  const block = blockOf(occurrence.text);
  // A style read, no layout: the page's pending style work, which the next frame needs anyway.
  const atStart = !!block && clipsInline(getComputedStyle(block));
  const style = CONTROL_HOST_STYLE + (atStart ? startStyle(backgroundBehind(block)) : AFTER_STYLE);
  const host = document.createElement(CONTROL_TAG);
  host.setAttribute('data-atrip-order', orderNo);
  host.setAttribute('data-state', 'idle');
  host.setAttribute('style', style);
  const shadow = host.attachShadow({ mode: 'open' });
  env.styles.apply(shadow);
  contain(host);
  env.store.addOccurrence(orderNo);
  render(
    <StopControl
      orderNo={orderNo}
      store={env.store}
      host={host}
      isCurrent={() => isCurrent(host)}
      translate={env.translate}
      lang={env.lang}
      pageHref={() => location.href}
      compact={atStart}
    />,
    shadow,
  );
  let disposed = false;
  return {
    host,
    atStart,
    dispose() {
      if (disposed) return;
      disposed = true;
      render(null, shadow);
      env.store.removeOccurrence(orderNo);
    },
  };
}

/** The selection bar, appended to the page; returns its removal. */
export function mountSelectionBar(env: ControlEnvironment): () => void {
  const host = document.createElement(BAR_TAG);
  host.setAttribute('style', BAR_HOST_STYLE);
  const shadow = host.attachShadow({ mode: 'open' });
  env.styles.apply(shadow);
  contain(host);
  render(<SelectionBar store={env.store} translate={env.translate} />, shadow);
  (document.body ?? document.documentElement).append(host);
  return () => {
    render(null, shadow);
    host.remove();
  };
}
