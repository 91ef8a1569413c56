/**
 * What the Chromium and the Firefox harness do alike, on top of what each browser does its own way
 * (`records`, `inBackground`, closing the browser): a launch's fresh sandbox and profile folder, the
 * sandbox's default settings, records looked up and waited for, the notification spy, the tabs, and
 * the clean-up.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/server';
import { installNotificationSpy, queryTabs, readNotificationSpy } from './background-probes';
import { sandboxSettings, type CreatedNotification, type StoredRecord, type TabState, type TestSettings } from './driver';
import { pollRecord } from './extension-storage';

/** A launch's start: the build must be there; then a fresh sandbox (2-second intercepts unless told) and profile folder. */
export async function freshSandboxAndProfile(build: { dir: string; what: string; command: string }, profilePrefix: string, sandbox?: SandboxOptions) {
  if (!existsSync(path.join(build.dir, 'manifest.json'))) {
    throw new Error(`No ${build.what} at ${build.dir}: run \`${build.command}\``);
  }
  return {
    sandbox: await startSandbox({ interceptSeconds: 2, ...sandbox }),
    userDataDir: mkdtempSync(path.join(tmpdir(), profilePrefix)),
  };
}

export abstract class HarnessBase {
  constructor(
    readonly sandbox: Sandbox,
    readonly userDataDir: string,
  ) {}

  abstract records(): Promise<StoredRecord[]>;
  abstract inBackground<A, R>(fn: (background: any, arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** Closes the browser, whatever state it is in. */
  protected abstract closeBrowser(): Promise<void>;

  /** The sandbox's credentials, checks every 2 s, and a 1-minute deadline, unless overridden. */
  defaultSettings(): Required<TestSettings> {
    return sandboxSettings(this.sandbox.url);
  }

  async record(orderNo: string): Promise<StoredRecord | undefined> {
    return (await this.records()).find((r) => r.orderNo === orderNo);
  }

  /** Polls storage until the order's record satisfies the condition; fails with the last record seen. */
  waitFor(orderNo: string, condition: (record: StoredRecord) => boolean, timeoutMs = 30_000, what = 'the condition'): Promise<StoredRecord> {
    return pollRecord((no) => this.record(no), orderNo, condition, timeoutMs, what);
  }

  waitForState(orderNo: string, state: string, timeoutMs = 30_000): Promise<StoredRecord> {
    return this.waitFor(orderNo, (r) => r.state === state, timeoutMs, state);
  }

  /**
   * Records every notification the background creates until it stops (Chromium: the worker dies;
   * Firefox: the event page unloads; the spy lives in the harness's extension page there).
   */
  spyOnNotifications(): Promise<void> {
    return this.inBackground(installNotificationSpy, undefined);
  }

  createdNotifications(): Promise<CreatedNotification[]> {
    return this.inBackground(readNotificationSpy, undefined);
  }

  tabs(): Promise<TabState[]> {
    return this.inBackground(queryTabs, undefined);
  }

  async close() {
    await this.closeBrowser();
    await this.sandbox.close();
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
