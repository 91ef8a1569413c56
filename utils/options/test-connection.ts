/** The options page's Test connection: asks the background to try the form's settings, and words the verdict. */
import { t } from '@/utils/shared/i18n';
import { sendRequest } from '@/utils/shared/messages';
import { connectionText } from './logic/connection-text';
import type { FormValues } from './form-values';

export type Status = { kind: 'ok' | 'error' | 'info'; text: string };

export async function testConnection(values: FormValues): Promise<Status> {
  const reply = await sendRequest({ type: 'testConnection', settings: values });
  if (!reply.ok) return { kind: 'error', text: t('optionsTestFailed', reply.error) };
  if (!reply.report) return { kind: 'error', text: t('optionsTestFailed', '—') };
  return {
    kind: reply.report.ok ? 'ok' : 'error',
    text: t(reply.report.ok ? 'optionsTestOk' : 'optionsTestFailed', connectionText(reply.report, t)),
  };
}
