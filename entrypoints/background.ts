import 'webext-dynamic-content-scripts';
import addPermissionToggle from 'webext-permission-toggle';
import { handleMessage } from '@/utils/background/handle-message';
import { reinjectContentScripts } from '@/utils/background/reinject';
import { createTracker } from '@/utils/tracker/tracker';
import { t } from '@/utils/i18n';

export default defineBackground(() => {
  const tracker = createTracker();
  // Listeners first and synchronously: the event that woke the worker must find them.
  browser.runtime.onMessage.addListener((message, sender) => handleMessage(tracker, message, sender));
  browser.alarms.onAlarm.addListener((alarm) => void tracker.onAlarm(alarm));
  browser.notifications.onClicked.addListener((id) => void tracker.openOrder(id));
  browser.runtime.onStartup.addListener(() => void tracker.reconcile());
  browser.runtime.onInstalled.addListener(({ reason }) => {
    void tracker.reconcile();
    if (reason === 'install' || reason === 'update') void reinjectContentScripts();
  });
  // "Enable on this site" in the toolbar icon's menu; webext-dynamic-content-scripts then injects there.
  addPermissionToggle({ title: t('controlEnableOnSite') });
  void tracker.reconcile();
});
