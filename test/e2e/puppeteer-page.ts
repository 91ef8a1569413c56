import type { Page } from 'puppeteer-core';
import type { DriverPage } from './driver';
import { sleep } from './wait';

/** A puppeteer page as a `DriverPage`. */
export class PuppeteerDriverPage implements DriverPage {
  private readonly reported: string[] = [];
  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.reported.push(message.text());
    });
    page.on('pageerror', (error) => this.reported.push(error instanceof Error ? error.message : String(error)));
  }

  async goto(url: string) {
    await this.page.goto(url, { waitUntil: 'load' });
  }

  /**
   * Loads a moz-extension:// page. puppeteer's `goto` never resolves there (the URL stays
   * about:blank for it): start it, then poll the document itself, tolerating the realm swap.
   */
  async gotoExtensionPage(url: string, timeoutMs = 20_000) {
    this.page.goto(url).catch(() => undefined);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        if (await this.page.evaluate((u) => location.href === u && document.readyState === 'complete', url)) return;
      } catch {
        // the realm is being replaced by the extension page
      }
      await sleep(100);
    }
    throw new Error(`${url} did not load`);
  }

  url() {
    return this.page.evaluate(() => location.href);
  }

  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return this.page.evaluate(fn as never, arg) as Promise<R>;
  }

  clickAt(x: number, y: number) {
    return this.page.mouse.click(x, y);
  }

  moveMouseTo(x: number, y: number) {
    return this.page.mouse.move(x, y);
  }

  // Keys go to the focused window's tab in front, as the agent's do: a page opened after this one
  // may have taken the front, and each notification's alert window (the profile's
  // `alerts.useSystemBackend: false`) takes the focus as it opens, so a press sent then was lost.
  async type(text: string) {
    await this.page.bringToFront();
    await this.page.keyboard.type(text);
  }

  async press(key: string) {
    await this.page.bringToFront();
    await this.page.keyboard.press(key as never);
  }

  setViewport(width: number, height: number) {
    return this.page.setViewport({ width, height });
  }

  async screenshot() {
    return Buffer.from(await this.page.screenshot());
  }

  errors() {
    return [...this.reported];
  }

  close() {
    return this.page.close().catch(() => undefined);
  }
}
