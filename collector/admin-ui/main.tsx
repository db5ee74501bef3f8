// The admin UI entry (built by build.mjs into dist/admin/app.js and app.css).
import './app.css';
import { render } from 'preact';
import { App } from './app.tsx';

const root = document.getElementById('app');
if (root) render(<App />, root);
