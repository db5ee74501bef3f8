// Minimal capture path (the walking skeleton): submit forms by selector, field rules, required
// fields, a keepalive text/plain POST. The full engine replaces this file.
import type { SiteConfig, SiteLeadBody, PublicFormConfig, FieldRule } from '../shared/schemas.ts';

(() => {
  try {
    const script = document.currentScript as HTMLScriptElement | null;
    if (!script) return;
    const origin = new URL(script.src).origin;
    const project = script.dataset.project ?? '';
    const api = `${origin}/api/site/1.0/${encodeURIComponent(project)}`;
    let forms: PublicFormConfig[] = [];
    fetch(`${api}/config`)
      .then((r) => r.json() as Promise<SiteConfig>)
      .then((c) => (forms = c.forms))
      .catch(() => {});

    const read = (form: HTMLFormElement, rule: FieldRule | undefined): string => {
      if (!rule) return '';
      if (rule.source === 'static') return rule.value;
      if (rule.source !== 'field') return '';
      const values: string[] = [];
      for (const el of Array.from(form.elements) as HTMLInputElement[]) {
        if (el.name !== rule.value || el.type === 'password' || el.type === 'file') continue;
        if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) continue;
        values.push(el.value);
      }
      return values.join(', ').trim();
    };

    document.addEventListener(
      'submit',
      (event) => {
        try {
          const form = event.target as HTMLFormElement;
          for (const f of forms) {
            if (!form.matches(f.selector)) continue;
            const values: Record<string, string> = {};
            let missing = false;
            for (const key of ['name', 'phone', 'email', 'comment'] as const) {
              values[key] = read(form, f.fields[key]);
              if (f.fields[key]?.required && !values[key]) missing = true;
            }
            if (missing) continue;
            const fields: Record<string, string> = {};
            for (const x of f.extraFields) fields[x.key] = read(form, x);
            const body: SiteLeadBody = {
              clientId: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`,
              formId: f.id,
              source: 'form',
              ...values,
              fields,
              context: { page: location.href, referrer: document.referrer, landingPage: location.href, visit: null, firstVisit: null, utm: {}, clickIds: {}, cookies: {}, params: {} },
            };
            fetch(`${api}/leads`, { method: 'POST', body: JSON.stringify(body), keepalive: true, headers: { 'content-type': 'text/plain' } }).catch(() => {});
          }
        } catch {
          /* never break the host page */
        }
      },
      true,
    );
  } catch {
    /* never break the host page */
  }
})();
