import addPermissionToggle from 'webext-permission-toggle';
import { handleMessage } from '@/utils/background/handle-message';
import { onOriginsGranted, syncPortalScripts } from '@/utils/background/portal-scripts';
import { reinjectContentScripts } from '@/utils/background/reinject';
import { createTracker } from '@/utils/background/tracker';
import { t } from '@/utils/shared/i18n';

export default defineBackground(() => {
  const tracker = createTracker();
  // Listeners first and synchronously: the event that woke the worker (or Firefox's event page) must find them.
  browser.runtime.onMessage.addListener((message, sender) => handleMessage(tracker, message, sender));
  browser.alarms.onAlarm.addListener((alarm) => void tracker.onAlarm(alarm));
  browser.notifications.onClicked.addListener((id) => void tracker.openOrder(id));
  // Portal origins granted at run time get the in-page control; revoked ones lose it.
  browser.permissions.onAdded.addListener(() => void onOriginsGranted());
  browser.permissions.onRemoved.addListener(() => void syncPortalScripts());
  // A new API base URL or portal list changes which granted origins are portals.
  browser.storage.onChanged.addListener((changes, area) => {
    if ((area === 'local' && 'settings' in changes) || area === 'managed') void syncPortalScripts();
  });
  browser.runtime.onStartup.addListener(() => {
    void tracker.reconcile();
    void syncPortalScripts();
  });
  browser.runtime.onInstalled.addListener(({ reason }) => {
    void tracker.reconcile();
    if (reason === 'install' || reason === 'update') void syncPortalScripts().finally(() => void reinjectContentScripts());
  });
  // "Enable on this site" in the toolbar icon's menu; the grant then registers the control there.
  addPermissionToggle({ title: t('controlEnableOnSite') });
  void tracker.reconcile();
});
