import { render } from 'preact';
import { t, uiLanguage } from '@/utils/shared/i18n';
import { OptionsApp } from '@/components/options/OptionsApp';
import '@/components/shared/base.css';
import './style.css';

document.documentElement.lang = uiLanguage() === 'zh' ? 'zh-CN' : 'en';
document.title = t('optionsTitle');
render(<OptionsApp />, document.getElementById('app')!);
