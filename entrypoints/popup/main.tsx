// The first storage reads left before this module graph was fetched (popup.html, popup-early.ts).
import { render } from 'preact';
import { t, uiLanguage } from '@/utils/shared/i18n';
import { PopupApp } from '@/components/popup/PopupApp';
import { APP_START_MARK } from '@/utils/popup/logic/marks';
// One stylesheet to fetch (style.css imports the shared base.css).
import './style.css';

performance.mark(APP_START_MARK);
document.documentElement.lang = uiLanguage() === 'zh' ? 'zh-CN' : 'en';
document.title = t('extName');
render(<PopupApp />, document.getElementById('app')!);
