import { useRef, useState } from 'preact/hooks';
import { t } from '@/utils/shared/i18n';
import { orderNumberSchema } from '@/utils/shared/logic/order-number';
import { sendRequest } from '@/utils/shared/messages';

interface Props {
  /** Without a client id a stop cannot succeed: the field stays, the button is disabled. */
  configured: boolean;
  /** Orders in progress: a second stop for one of them is not sent. */
  isInProgress: (orderNo: string) => boolean;
  onNotice: (text: string, kind: 'ok' | 'error') => void;
}

/** Agents paste lower-case or spaced numbers; ATRIP's are capitals without spaces. */
const normalise = (value: string) => value.replace(/\s+/g, '').toUpperCase();

/** "Stop an order": paste a number, see at once whether it is one, confirm, send. */
export function StopForm({ configured, isInProgress, onNotice }: Props) {
  const [value, setValue] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const orderNo = normalise(value);
  const parsed = orderNumberSchema.safeParse(orderNo);
  const error = orderNo !== '' && !parsed.success ? t('popupStopInvalid') : '';

  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (!parsed.success || !configured) {
      input.current?.focus();
      return;
    }
    if (isInProgress(parsed.data)) {
      onNotice(t('popupStopInProgress', parsed.data), 'error');
      return;
    }
    setConfirming(parsed.data);
  };

  const confirm = async () => {
    if (!confirming) return;
    setSending(true);
    const reply = await sendRequest({ type: 'stop', orderNo: confirming });
    setSending(false);
    if (reply.ok) {
      onNotice(t('popupStopSent', confirming), 'ok');
      setValue('');
    } else {
      onNotice(t('popupStopFailed', reply.error), 'error');
    }
    setConfirming(null);
    input.current?.focus();
  };

  const cancel = () => {
    setConfirming(null);
    input.current?.focus();
  };

  return (
    <form class="stop-form" onSubmit={onSubmit} noValidate>
      <label for="stop-order-no">{t('popupStopLabel')}</label>
      <div class="stop-row">
        <input
          ref={input}
          id="stop-order-no"
          name="orderNo"
          type="text"
          inputMode="text"
          autoComplete="off"
          spellcheck={false}
          placeholder={t('popupStopPlaceholder')}
          value={value}
          onInput={(event) => {
            setValue((event.currentTarget as HTMLInputElement).value);
            setConfirming(null);
          }}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'stop-order-no-error' : undefined}
          disabled={sending}
        />
        {!confirming && (
          <button type="submit" class="danger" disabled={!configured || !parsed.success}>
            {t('popupStopButton')}
          </button>
        )}
      </div>
      {error && (
        <p id="stop-order-no-error" class="field-error">
          {error}
        </p>
      )}
      {confirming && (
        <div class="confirm" role="group" aria-labelledby="stop-confirm-question">
          <p id="stop-confirm-question">{t('popupStopConfirmQuestion', confirming)}</p>
          <div class="actions">
            <button type="button" class="danger" onClick={confirm} disabled={sending}>
              {sending ? t('popupStopSending') : t('popupStopConfirm')}
            </button>
            <button type="button" onClick={cancel} disabled={sending}>
              {t('commonCancel')}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
