import type { Page } from 'playwright-core';
import type { DriverPage } from './driver';

/** A Playwright page as a `DriverPage` (driver.ts). */
export class PlaywrightDriverPage implements DriverPage {
  private readonly reported: string[] = [];
  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.reported.push(message.text());
    });
    page.on('pageerror', (error) => this.reported.push(error.message));
  }
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
  moveMouseTo(x: number, y: number) {
    return this.page.mouse.move(x, y);
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
  errors() {
    return [...this.reported];
  }
  close() {
    return this.page.close().catch(() => undefined);
  }
}
