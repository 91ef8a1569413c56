/**
 * `npm run demo`: the extension against the local ATRIP sandbox, in Debian's Chromium.
 * With a display: a browser window on the sandbox's Element UI portal (Vue 2, hash routes: the
 * most ATRIP-like of its portals), ready to click 停止出票.
 * `npm run demo -- --headless` (or no display): walks the story unattended — stops an
 * interceptable and an already-issued order from the page, waits for both outcomes — and
 * writes screenshots of the page, the popup and the notifications to demo-output/.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { Harness, type StoredRecord } from '../test/e2e/harness';
import { SCENARIOS } from '../test/sandbox/catalogue';

const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.SANDBOX_PORT ?? '8790' },
    'intercept-seconds': { type: 'string', default: '20' },
    out: { type: 'string', default: 'demo-output' },
    'skip-build': { type: 'boolean', default: false },
  },
});
const headless = values.headless || !process.env.DISPLAY;
const interceptSeconds = Number(values['intercept-seconds']);
const out = path.resolve(values.out);
const log = (line: string) => console.log(`[demo ${new Date().toLocaleTimeString()}] ${line}`);

if (!values['skip-build']) {
  log('building the extension (e2e mode: loopback counts as the portal and the API)…');
  execSync('npx wxt build --mode e2e', { stdio: 'ignore' });
}

const harness = await Harness.launch({
  sandbox: { port: Number(values.port), interceptSeconds },
  settings: { firstCheckSeconds: interceptSeconds + 5, recheckSeconds: 5, deadlineMinutes: 5 },
  headed: !headless,
});
// The most ATRIP-like portal of the sandbox: Element UI 2.15 on Vue 2 (test/sandbox/portals).
const listUrl = `${harness.sandbox.url}/portals/element-ui/#/order/list`;
log(`ATRIP sandbox on ${harness.sandbox.url} (stops decide after ${interceptSeconds} s); extension ${harness.extensionId}`);
const page = await harness.context.newPage();
await page.setViewportSize({ width: 1280, height: 800 });
await page.goto(listUrl);

if (!headless) {
  log(`Chromium is open on ${listUrl}. Click 停止出票 beside an order, confirm, and watch it.`);
  log(`Interceptable: ${SCENARIOS.intercept}; already issued: ${SCENARIOS.alreadyIssued}. Ctrl+C to stop.`);
  const stop = async () => {
    await harness.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  mkdirSync(out, { recursive: true });
  const shot = async (target: Page, name: string) => {
    await target.screenshot({ path: path.join(out, name), fullPage: true });
    log(`screenshot ${path.join(values.out!, name)}`);
  };
  // The visible control: the portal's fixed column also has a hidden copy of every number.
  const controlOf = (orderNo: string) => page.locator(`[data-atrip-order="${orderNo}"]`).filter({ visible: true }).first();
  const stopFromPage = async (orderNo: string) => {
    const control = controlOf(orderNo);
    // Until the page is painted, a control in a cell that clips starts after the number, beyond the
    // cell's edge, and moves to the cell's start a frame later (utils/content/placement.ts). Clicked
    // there, Playwright would first scroll the clipped column sideways to reach it, and the column
    // would stay scrolled: click it where an agent sees it, once nothing else is at its centre.
    await page.waitForFunction((no) => {
      const host = [...document.querySelectorAll(`[data-atrip-order="${no}"]`)].find((h) => h.checkVisibility({ visibilityProperty: true }));
      const r = host?.shadowRoot?.querySelector('button')?.getBoundingClientRect();
      return !!r && r.width > 0 && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === host;
    }, orderNo);
    await control.getByRole('button', { name: /Stop ticketing|停止出票/ }).click();
    await control.getByRole('button', { name: /Confirm|确认/ }).click();
    log(`${orderNo}: clicked 停止出票 and confirmed`);
  };
  const stories = [
    { orderNo: SCENARIOS.intercept, what: 'interceptable order' },
    { orderNo: SCENARIOS.alreadyIssued, what: 'order already issued' },
  ];
  await controlOf(stories[0]!.orderNo).waitFor();
  for (const { orderNo } of stories) await stopFromPage(orderNo);
  for (const { orderNo } of stories) {
    const record = await harness.waitFor(orderNo, (r) => r.state === 'intercepting' || r.state === 'issued', 30_000);
    log(`${orderNo}: ${record.state} — ATRIP: ${String(record.lastMessage ?? '')}`);
  }
  await shot(page, '1-page-intercepting.png');
  const finals: StoredRecord[] = [];
  for (const { orderNo, what } of stories) {
    const record = await harness.waitFor(orderNo, (r) => !['requesting', 'intercepting'].includes(r.state) && r.notified === true, (interceptSeconds + 60) * 1000);
    finals.push(record);
    log(`${orderNo} (${what}): ${record.state.toUpperCase()} after ${record.checks} check(s)`);
  }
  await shot(page, '2-page-outcomes.png');
  const popup = await harness.extensionPage('popup.html');
  await popup.setViewportSize({ width: 420, height: 600 });
  await popup.waitForTimeout(300);
  await shot(popup, '3-popup.png');
  const ids = await harness.notificationIds();
  writeFileSync(path.join(out, 'notifications.json'), JSON.stringify({ notificationIds: ids, records: finals }, null, 2));
  const list = await harness.context.newPage();
  await list.setContent(
    `<body style="font:14px system-ui;margin:16px"><h3>chrome.notifications.getAll()</h3><ul>${ids
      .map((id) => `<li><b>${id}</b>: ${finals.find((r) => r.orderNo === id)?.state ?? ''}</li>`)
      .join('')}</ul></body>`,
  );
  await shot(list, '4-notifications.png');
  log(`done: ${finals.map((r) => `${r.orderNo} ${r.state}`).join(', ')}; requests to the sandbox: ${harness.sandbox.requests.length}`);
  await harness.close();
  const expected = ['intercepted', 'issued'];
  process.exit(finals.every((r, i) => r.state === expected[i]) ? 0 : 1);
}
