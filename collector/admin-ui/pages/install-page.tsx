// The install page: the one script tag to paste on every page, and the proxy API key for servers.
import { useState } from 'preact/hooks';
import type { Project } from '../../../shared/schemas.ts';
import { adminApi } from '../api.ts';
import { can } from '../lib/access.ts';
import { installSnippet } from '../lib/routes.ts';
import { errorText, useLoad } from '../ui.tsx';

export function InstallPage({ projectId, project }: { projectId: string; project: Project | null }) {
  // The server knows PUBLIC_URL (the collector's address as sites reach it); until it answers, this page's origin.
  const [install] = useLoad(() => adminApi.install(projectId), projectId);
  const origin = install.state === 'ready' ? install.data.publicUrl : location.origin;
  const snippet = installSnippet(origin, projectId);
  return (
    <section>
      <h1>Install on your site</h1>
      <div class="card">
        <h2>1. Paste this tag on every page</h2>
        <p>Put it before <code>&lt;/head&gt;</code> (or anywhere in the page) of every page of your site. Nothing else on the site changes.</p>
        <CopyBox id="install-snippet" label="Script tag" text={snippet} copyButton />
        <p class="hint">
          To see what it does on a page, open the page with <code>?leadrelay_debug=1</code> at the end of its address and look at the browser console.
        </p>
      </div>
      <div class="card">
        <h2>2. Add your site's forms</h2>
        <p>Open the forms section, press "Add form" and give the CSS selector of each form whose leads you want.</p>
      </div>
      {/* Changing a project setting is an owner's (README "Users and roles"). */}
      {can('owner') && <JsRulesSwitch projectId={projectId} />}
      {project && (
        <div class="card">
          <h2>From your own server (optional)</h2>
          <p>
            Code that already sends leads to Roistat's proxy API works by changing the host to <code>{origin}</code>. Use this project key as
            <code> key</code>:
          </p>
          <CopyBox id="project-key" label="Project key" text={project.key} />
          <p class="hint">Keep it private: anyone with the key can add leads to this project.</p>
        </div>
      )}
    </section>
  );
}

/**
 * The project's switch for JavaScript field rules. They run code written here on every page of the
 * site, like a tag manager, so whoever may change forms may run code on the site: the owner decides.
 */
function JsRulesSwitch({ projectId }: { projectId: string }) {
  const [loaded] = useLoad(() => adminApi.getProject(projectId), projectId);
  const [jsRules, setJsRules] = useState<boolean | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const current = jsRules ?? (loaded.state === 'ready' ? loaded.data.jsRules : null);
  const change = async (on: boolean) => {
    const before = current;
    // The box shows the choice at once; a refusal puts it back.
    setJsRules(on);
    setBusy(true);
    setStatus('');
    try {
      const saved = await adminApi.putProjectSettings(projectId, { jsRules: on });
      setJsRules(saved.jsRules);
      setStatus(saved.jsRules ? 'Saved: JavaScript rules run on your site.' : 'Saved: no JavaScript rule runs on your site.');
    } catch (err) {
      setJsRules(before);
      setStatus(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card">
      <h2>JavaScript field rules</h2>
      <p>
        A field rule of the kind <strong>JavaScript</strong> runs code written in this admin on every page of your site, like a tag manager does. So
        whoever can change forms here can run code on your site. Switch them off if you do not use them.
      </p>
      {current === null ? (
        <p class="muted">{loaded.state === 'error' ? errorText(loaded.error) : 'Loading…'}</p>
      ) : (
        <div class="row check">
          <input id="js-rules" type="checkbox" checked={current} disabled={busy} onChange={(e) => void change(e.currentTarget.checked)} aria-describedby="js-rules-hint" />
          <label for="js-rules">Allow JavaScript field rules</label>
          <span class="hint" id="js-rules-hint">
            when off, sites get no JavaScript rule (within a few minutes, as their cached config expires): those fields arrive empty, and a required one is not checked
          </span>
        </div>
      )}
      <p role="status" class="muted">
        {status}
      </p>
    </div>
  );
}

/** A read-only text that selects itself on focus; with `copyButton`, a "Copy" button too (one per page, so its name stays unique). */
function CopyBox({ id, label, text, copyButton = false }: { id: string; label: string; text: string; copyButton?: boolean }) {
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied.');
    } catch {
      // No clipboard permission (e.g. not https): select the text so Ctrl+C works.
      const el = document.getElementById(id);
      if (el instanceof HTMLTextAreaElement) el.select();
      setCopied('Press Ctrl+C (⌘C) to copy the selected text.');
    }
  };
  return (
    <div class="copy-box">
      <label for={id}>{label}</label>
      <textarea id={id} readOnly rows={2} class="mono" value={text} onFocus={(e) => e.currentTarget.select()} />
      {copyButton && (
        <div class="form-actions">
          <button type="button" onClick={copy}>
            Copy
          </button>
          <span role="status" class="muted">
            {copied}
          </span>
        </div>
      )}
    </div>
  );
}
