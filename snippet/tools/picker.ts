// `?leadrelay_pick=1`: the picker overlay (ARCHITECTURE.md "The tools bundle"). Everything it shows lives in
// one shadow root on a host element after <body>, so the page's own DOM and styles stay as they were:
// hovering outlines forms and buttons, a click (kept from the page) opens the "leadrelay picker" dialog.
import { describe, pickable, type Picked } from './pick-model.ts';

const STYLE = `
.box{position:fixed;pointer-events:none;outline:2px solid #e8590c;background:rgba(232,89,12,.12);z-index:2147483647;display:none}
[role=dialog]{position:fixed;right:16px;bottom:16px;max-width:420px;max-height:80vh;overflow:auto;background:#fff;color:#222;
font:14px/1.4 system-ui,sans-serif;border:1px solid #999;border-radius:8px;padding:12px;box-shadow:0 4px 24px rgba(0,0,0,.3);z-index:2147483647}
input{width:100%;box-sizing:border-box;font:13px monospace}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
.bar{position:fixed;left:16px;bottom:16px;background:#e8590c;color:#fff;font:13px system-ui,sans-serif;padding:4px 8px;border-radius:4px;z-index:2147483647}`;

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function panel(p: Picked): string {
  const rows = p.fields.map((f) => `<tr><td>${esc(f.name)}</td><td>${esc(f.type)}</td><td>${esc(f.label)}</td><td>${f.guess}</td></tr>`).join('');
  return (
    `<h2 style="font-size:16px;margin:0 0 8px">leadrelay picker</h2>` +
    `<label>Selector <input readonly value="${esc(p.selector)}"></label>` +
    `<p>Trigger: <b data-trigger>${p.trigger}</b></p>` +
    `<table><tr><th>name</th><th>type</th><th>label</th><th>guess</th></tr>${rows}</table>` +
    `<p><a href="${esc(p.url)}" target="_blank" rel="noopener">Create this form in leadrelay</a></p>` +
    `<button type="button" data-close>Close</button>`
  );
}

export function startPicker(doc: Document, base: string, project: string): void {
  const host = doc.createElement('leadrelay-picker');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<style>${STYLE}</style><div class="box"></div><div class="bar">leadrelay: pick a form or a button</div>`;
  const box = root.querySelector('.box') as HTMLElement;
  let dialog: HTMLElement | null = null;
  doc.documentElement.append(host);

  const ours = (e: Event) => e.composedPath().includes(host);
  const target = (e: Event) => {
    const t = e.composedPath()[0];
    return t instanceof Element ? pickable(t) : null;
  };

  doc.addEventListener(
    'mouseover',
    (e) => {
      const el = ours(e) ? null : target(e);
      if (!el) return void (box.style.display = 'none');
      const r = el.getBoundingClientRect();
      Object.assign(box.style, { display: 'block', left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
    },
    true,
  );
  doc.addEventListener(
    'click',
    (e) => {
      if (ours(e)) return;
      const el = target(e);
      if (!el) return;
      // In pick mode a click picks: the page's own handlers and its navigation do not run.
      e.preventDefault();
      e.stopImmediatePropagation();
      dialog?.remove();
      dialog = doc.createElement('div');
      dialog.setAttribute('role', 'dialog');
      dialog.setAttribute('aria-label', 'leadrelay picker');
      dialog.innerHTML = panel(describe(el, base, project, doc.title ? `Request: ${doc.title}` : 'Request'));
      (dialog.querySelector('[data-close]') as HTMLElement).onclick = () => dialog?.remove();
      root.append(dialog);
    },
    true,
  );
}
