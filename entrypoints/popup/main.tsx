import { render } from 'preact';
import { t, uiLanguage } from '@/utils/shared/i18n';
import { PopupApp } from '@/components/popup/PopupApp';
import '@/components/shared/base.css';
import './style.css';

document.documentElement.lang = uiLanguage() === 'zh' ? 'zh-CN' : 'en';
document.title = t('extName');
render(<PopupApp />, document.getElementById('app')!);
