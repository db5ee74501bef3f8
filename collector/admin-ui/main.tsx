// The admin UI entry (built by build.mjs into dist/admin/app.js and app.css).
import './app.css';
import { render } from 'preact';
import { App } from './app.tsx';
import { language } from './lib/i18n.ts';

// The page's language for screen readers and hyphenation; setLanguage keeps it current.
document.documentElement.lang = language();

const root = document.getElementById('app');
if (root) render(<App />, root);
