/**
 * What a story does and reads on a page, written once against the contract's hooks
 * (shared/contract.md) on top of `DriverPage`: a control's buttons and state, the popup's rows,
 * the options form.
 */
import type { DriverPage, ExtensionDriver } from './driver';
import { eventually } from './wait';

/**
 * Where a button is: in the page, in the open shadow root of the first element matching `host`
 * (an in-page control), or inside the first element matching `within` (a popup row).
 */
export interface ButtonTarget {
  host?: string;
  within?: string;
  /** Matched against the button's accessible name (aria-label, else its text). */
  name: RegExp;
}

export const controlHost = (orderNo: string) => `atrip-stop-control[data-atrip-order="${orderNo}"]`;

/** The centre of a visible button, scrolled into view, or null while there is none. */
function findButton(page: DriverPage, target: ButtonTarget) {
  return page.evaluate(
    ({ host, within, source, flags }) => {
      const root: ParentNode | null | undefined = host
        ? document.querySelector(host)?.shadowRoot
        : within
          ? document.querySelector(within)
          : document;
      if (!root) return null;
      const name = new RegExp(source, flags);
      const button = [...root.querySelectorAll('button')].find((b) => {
        const label = b.getAttribute('aria-label') || b.textContent || '';
        return name.test(label) && !b.disabled && b.getClientRects().length > 0;
      });
      if (!button) return null;
      button.scrollIntoView({ block: 'center', inline: 'center' });
      const rect = button.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    },
    { host: target.host, within: target.within, source: target.name.source, flags: target.name.flags },
  );
}

/** Clicks a button with trusted input once it is there. */
export async function clickButton(page: DriverPage, target: ButtonTarget, timeoutMs = 15_000) {
  const at = await eventually(() => findButton(page, target), (p) => p !== null, `a button ${target.name} in ${target.host ?? target.within ?? 'the page'}`, timeoutMs);
  await page.clickAt(at!.x, at!.y);
}

/** Whether such a button is on show now. */
export async function hasButton(page: DriverPage, target: ButtonTarget) {
  return (await findButton(page, target)) !== null;
}

/** An element of the page: the first matching `selector` (whose text matches `text`, if given). */
export interface ElementTarget {
  selector: string;
  text?: RegExp;
}

/** The centre of such an element when it has a box, scrolled into view; else null. */
function findElement(page: DriverPage, target: ElementTarget) {
  return page.evaluate(
    ({ selector, source, flags }) => {
      const text = source === undefined ? null : new RegExp(source, flags);
      const element = [...document.querySelectorAll(selector)].find((e) => e.getClientRects().length > 0 && (!text || text.test((e.textContent ?? '').trim())));
      if (!element) return null;
      element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      const rect = element.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    },
    { selector: target.selector, source: target.text?.source, flags: target.text?.flags },
  );
}

/** Clicks an element of the page (a pager's page number, a field) with trusted input once it is there. */
export async function clickElement(page: DriverPage, target: ElementTarget, timeoutMs = 15_000) {
  const at = await eventually(() => findElement(page, target), (p) => p !== null, `an element ${target.selector} ${target.text ?? ''}`, timeoutMs);
  await page.clickAt(at!.x, at!.y);
}

/** Moves the mouse over an element of the page once it is there (what shows on hover). */
export async function hoverElement(page: DriverPage, target: ElementTarget, timeoutMs = 15_000) {
  const at = await eventually(() => findElement(page, target), (p) => p !== null, `an element ${target.selector} ${target.text ?? ''}`, timeoutMs);
  await page.moveMouseTo(at!.x, at!.y);
}

/** How many elements of the page match the selector (shown or not). */
export function countElements(page: DriverPage, selector: string): Promise<number> {
  return page.evaluate((s) => document.querySelectorAll(s).length, selector);
}

/** A control's `data-state`, or null when the order has no control. */
export function controlState(page: DriverPage, orderNo: string): Promise<string | null> {
  return page.evaluate((selector) => document.querySelector(selector)?.getAttribute('data-state') ?? null, controlHost(orderNo));
}

/** What the agent reads in a control (its shadow root's text). */
export function controlText(page: DriverPage, orderNo: string): Promise<string> {
  return page.evaluate((selector) => document.querySelector(selector)?.shadowRoot?.textContent ?? '', controlHost(orderNo));
}

export function controlCount(page: DriverPage, orderNo?: string): Promise<number> {
  return page.evaluate((selector) => document.querySelectorAll(selector).length, orderNo ? controlHost(orderNo) : 'atrip-stop-control');
}

export function waitForControlState(page: DriverPage, orderNo: string, state: string, timeoutMs = 30_000) {
  return eventually(() => controlState(page, orderNo), (s) => s === state, `${orderNo}'s control in state ${state}`, timeoutMs);
}

/** The agent's stop from the page: the control's Stop button, then Confirm (contract names, English UI). */
export async function stopFromPage(page: DriverPage, orderNo: string) {
  const host = controlHost(orderNo);
  await clickButton(page, { host, name: /Stop ticketing|停止出票/ });
  await clickButton(page, { host, name: /Confirm|确认/ });
}

/** A portal page with its controls in place. */
export async function openPortalPage(driver: ExtensionDriver, url: string, orderNo: string): Promise<DriverPage> {
  const page = await driver.openPage();
  await page.setViewport(1280, 900);
  await page.goto(url);
  await eventually(() => controlState(page, orderNo), (s) => s !== null, `a control for ${orderNo} on ${url}`);
  return page;
}

export interface PopupRow {
  orderNo: string;
  state: string;
  text: string;
}

/** The popup's rows (contract: `data-order-no`, `data-state`), with what the agent reads in each. */
export function popupRows(page: DriverPage): Promise<PopupRow[]> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll<HTMLElement>('[data-order-no]')].map((row) => ({
        orderNo: row.dataset.orderNo ?? '',
        state: row.dataset.state ?? '',
        // textContent: a background tab's innerText is empty in Firefox (not rendered).
        text: row.textContent ?? '',
      })),
    undefined,
  );
}

export const popupRow = (orderNo: string) => `[data-order-no="${orderNo}"]`;

export async function waitForPopupRow(page: DriverPage, orderNo: string, state: string, timeoutMs = 30_000): Promise<PopupRow> {
  const rows = await eventually(
    () => popupRows(page),
    (all) => all.some((r) => r.orderNo === orderNo && r.state === state),
    `the popup row of ${orderNo} in state ${state}`,
    timeoutMs,
  );
  return rows.find((r) => r.orderNo === orderNo)!;
}

/** Opens the options page once it shows the stored values (typing before would be overwritten). */
export async function openOptions(driver: ExtensionDriver): Promise<DriverPage> {
  const page = await driver.openExtensionPage('options.html');
  await page.setViewport(900, 1100);
  await eventually(() => page.evaluate(() => document.querySelector('form:not([aria-busy])') !== null, undefined), Boolean, 'the options form');
  return page;
}

/** Types each value into the options field of that name (contract names), replacing what was there. */
export async function fillOptions(page: DriverPage, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) {
    const at = await page.evaluate((n) => {
      const field = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${n}"]`);
      if (!field) return null;
      field.scrollIntoView({ block: 'center' });
      const rect = field.getBoundingClientRect();
      return { x: rect.left + Math.min(20, rect.width / 2), y: rect.top + rect.height / 2 };
    }, name);
    if (!at) throw new Error(`No options field named ${name}`);
    await page.clickAt(at.x, at.y);
    await page.evaluate((n) => document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${n}"]`)!.select(), name);
    if (value === '') await page.press('Backspace');
    else await page.type(value);
    const typed = await page.evaluate((n) => document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${n}"]`)!.value, name);
    if (typed !== value) throw new Error(`The options field ${name} holds ${JSON.stringify(typed)}, not ${JSON.stringify(value)}`);
  }
}

/** Saves the options form (opened fresh) and returns the status it then shows (contract: `role="status"`). */
export async function saveOptions(page: DriverPage, timeoutMs = 15_000): Promise<string> {
  await clickButton(page, { name: /^(Save|保存)$/ });
  return eventually(
    () => page.evaluate(() => document.querySelector<HTMLElement>('[role="status"]')?.innerText ?? '', undefined),
    (text) => /saved|Could not save|保存/i.test(text),
    'the options status after saving',
    timeoutMs,
  );
}
