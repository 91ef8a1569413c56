// The first storage reads leave before the rest of the popup evaluates (see early-start.ts).
import '@/utils/popup/early-start';
import { render } from 'preact';
import { t, uiLanguage } from '@/utils/shared/i18n';
import { PopupApp } from '@/components/popup/PopupApp';
// One stylesheet to fetch (style.css imports the shared base.css).
import './style.css';

document.documentElement.lang = uiLanguage() === 'zh' ? 'zh-CN' : 'en';
document.title = t('extName');
render(<PopupApp />, document.getElementById('app')!);
