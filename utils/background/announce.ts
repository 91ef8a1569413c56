/**
 * What the agent is told outside the page: one notification per outcome, and the toolbar badge
 * counting the orders still waiting. Best-effort: never in the way of a stop or a check.
 */
import { t } from '../shared/i18n';
import type { TrackedOrder } from '../shared/logic/record';
import { mutateOrder, readInProgressIndex } from '../shared/store';
import { badgeText, notificationText } from './notification';
import { bestEffort, setToolbar, showNotification } from './ui-effects';

export function createAnnouncer() {
  // Outcomes being announced: several reconciles at once must still make one notification.
  const notifying = new Set<string>();

  /** The outcome's notification, once per decided run: marked `notified` only once it was shown. */
  async function notifyOnce(record: TrackedOrder) {
    if (record.notified || notifying.has(record.orderNo)) return;
    const text = notificationText(record);
    if (!text) return;
    notifying.add(record.orderNo);
    try {
      // Same id as the order: a re-created notification replaces, never duplicates.
      if (!(await showNotification(record.orderNo, text.title, text.message))) return; // retried at the next wake
      await mutateOrder(record.orderNo, (current) =>
        current && current.runId === record.runId && current.state === record.state && !current.notified
          ? { next: { ...current, notified: true }, value: undefined }
          : { next: undefined, value: undefined },
      );
    } finally {
      notifying.delete(record.orderNo);
    }
  }

  /**
   * Orders still waiting, on the toolbar badge: counted from the in-progress index (store.ts), one
   * small read, never every record. Best-effort: never awaited by a stop or a check.
   */
  function refreshBadge(): Promise<boolean> {
    return bestEffort('badge', async () => {
      const text = badgeText((await readInProgressIndex()).length);
      await setToolbar(text, text ? t('badgeTitle', text) : t('extName'));
    });
  }

  return { notifyOnce, refreshBadge };
}
