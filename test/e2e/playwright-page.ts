import type { Page } from 'playwright-core';
import type { DriverPage } from './driver';

/** A Playwright page as a `DriverPage` (driver.ts). */
export class PlaywrightDriverPage implements DriverPage {
  constructor(readonly page: Page) {}
  async goto(url: string) {
    await this.page.goto(url);
  }
  async url() {
    return this.page.url();
  }
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return this.page.evaluate(fn as never, arg) as Promise<R>;
  }
  clickAt(x: number, y: number) {
    return this.page.mouse.click(x, y);
  }
  type(text: string) {
    return this.page.keyboard.type(text);
  }
  press(key: string) {
    return this.page.keyboard.press(key);
  }
  setViewport(width: number, height: number) {
    return this.page.setViewportSize({ width, height });
  }
  screenshot() {
    return this.page.screenshot();
  }
  close() {
    return this.page.close().catch(() => undefined);
  }
}
