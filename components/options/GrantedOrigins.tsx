/** The sites the extension can access now (`id="granted-origins"`: the origins field refers to it). */
import { t } from '@/utils/shared/i18n';
import { patternLabel } from '@/utils/shared/logic/permissions';

export function GrantedOrigins({ patterns }: { patterns: readonly string[] }) {
  const labels = patterns.map(patternLabel);
  return (
    <div id="granted-origins" class="granted">
      <span>{t('optionsGrantedOrigins')}</span>{' '}
      {labels.length === 0 ? (
        <span>{t('optionsGrantedNone')}</span>
      ) : (
        <ul>
          {labels.map((label) => (
            <li key={label}>
              <code>{label}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
