// The forms list: what each form catches and where its leads go; edit, copy, delete (with undo).
import { useState } from 'preact/hooks';
import type { FormConfig } from '../../../shared/form-config.ts';
import { adminApi } from '../api.ts';
import { configInputOf } from '../lib/form-editor-state.ts';
import { paths } from '../lib/routes.ts';
import { can } from '../lib/access.ts';
import { ErrorMessage, Link, Loading, Notice, navigate, useLoad } from '../ui.tsx';
import { MissedFormsSection } from './missed-forms-section.tsx';

export function FormsPage({ projectId }: { projectId: string }) {
  const [forms, reload] = useLoad(() => adminApi.listForms(projectId), projectId);
  const [actionError, setActionError] = useState<unknown>(null);
  const [deleted, setDeleted] = useState<FormConfig | null>(null);
  const [notice, setNotice] = useState('');

  const act = async (fn: () => Promise<void>) => {
    setActionError(null);
    setNotice('');
    try {
      await fn();
    } catch (err) {
      setActionError(err);
    }
    await reload();
  };

  return (
    <section>
      <div class="page-head">
        <h1>Site forms</h1>
        {can('marketer') && (
          <button type="button" class="primary" onClick={() => navigate(paths.form(projectId, null))}>
            Add form
          </button>
        )}
      </div>
      <p class="muted">
        Each form here tells the script on your site which form (or button) to watch and how to turn what the visitor typed into a lead.
      </p>
      <ErrorMessage error={actionError} />
      {notice && <Notice onClose={() => setNotice('')}>{notice}</Notice>}
      {deleted && (
        <div class="message message-ok" role="status">
          <span>Form “{deleted.title || deleted.selector}” deleted.</span>
          <button
            type="button"
            class="link-button"
            onClick={() =>
              act(async () => {
                await adminApi.createForm(projectId, configInputOf(deleted));
                setDeleted(null);
                setNotice('The form is back.');
              })
            }
          >
            Undo
          </button>
        </div>
      )}
      {forms.state === 'loading' && <Loading />}
      {forms.state === 'error' && <ErrorMessage error={forms.error} />}
      {forms.state === 'ready' && forms.data.length === 0 && (
        <div class="empty card">
          <p>No forms yet. Add one: give the CSS selector of a form on your site and say which of its fields hold the name, phone and email.</p>
        </div>
      )}
      {forms.state === 'ready' && forms.data.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Trigger</th>
                <th scope="col">Selector</th>
                <th scope="col">Sites</th>
                <th scope="col">Send to CRM</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {forms.data.map((form) => (
                <tr key={form.id} class={form.enabled ? '' : 'disabled-row'}>
                  <td>
                    {/* Plain text, not a link: a title is free text and must not collide with the section links' names. */}
                    <span class="form-title">{form.title || '(no title)'}</span>
                    {!form.enabled && <span class="badge">off</span>}
                  </td>
                  <td>{form.trigger === 'click' ? 'Button click' : 'Form submit'}</td>
                  <td>
                    <code>{form.selector}</code>
                  </td>
                  <td>{sitesSummary(form)}</td>
                  <td>{form.sendToCrm ? 'Yes' : 'No'}</td>
                  <td class="actions">
                    <Link href={paths.form(projectId, form.id)} class="button">
                      Edit
                    </Link>
                    {can('marketer') && <button
                      type="button"
                      onClick={() =>
                        act(async () => {
                          await adminApi.copyForm(projectId, form.id);
                          setNotice(`Copied “${form.title || form.selector}”.`);
                        })
                      }
                    >
                      Copy
                    </button>}
                    {can('marketer') && <button
                      type="button"
                      class="danger"
                      onClick={() =>
                        act(async () => {
                          await adminApi.deleteForm(projectId, form.id);
                          setDeleted(form);
                        })
                      }
                    >
                      Delete
                    </button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MissedFormsSection projectId={projectId} reloadKey={forms.state === 'ready' ? forms.data.map((f) => `${f.id}:${f.enabled}:${f.selector}`).join('|') : ''} />
    </section>
  );
}

function sitesSummary(form: FormConfig): string {
  if (form.sites.length === 0) return 'Every site';
  return `${form.excludeSites ? 'All but ' : ''}${form.sites.join(', ')}`;
}
