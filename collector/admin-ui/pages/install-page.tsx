// The install page: the one script tag to paste on every page, and the proxy API key for servers.
import { useState } from 'preact/hooks';
import type { Project } from '../../../shared/schemas.ts';
import { installSnippet } from '../lib/routes.ts';

export function InstallPage({ projectId, project }: { projectId: string; project: Project | null }) {
  const snippet = installSnippet(location.origin, projectId);
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
      {project && (
        <div class="card">
          <h2>From your own server (optional)</h2>
          <p>
            Code that already sends leads to Roistat's proxy API works by changing the host to <code>{location.origin}</code>. Use this project key as
            <code> key</code>:
          </p>
          <CopyBox id="project-key" label="Project key" text={project.key} />
          <p class="hint">Keep it private: anyone with the key can add leads to this project.</p>
        </div>
      )}
    </section>
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
