// The store's project methods (store/types.ts `Store`) for both dialects: projects and their
// quotas, settings, forms and integration, and the process-wide settings.
import { FormConfigInput as FormConfigInputSchema } from '../../../shared/form-config.ts';
import { secretToken, shortId } from '../../../shared/ids.ts';
import { all, get, run, type Engine } from './engine.ts';
import {
  checkProjectQuotas,
  createProjectMemo,
  mergedProjectSettings,
  PARKED_RUN_AT,
  toForm,
  toIntegration,
  toProject,
  toProjectQuotas,
  toProjectSettings,
} from './rows.ts';
import { requeueLead } from './statements.ts';
import type { Store } from './types.ts';

type ProjectMethods = Pick<
  Store,
  | 'createProject' | 'listProjects' | 'getProject' | 'getProjectByKey' | 'getProjectQuotas' | 'setProjectQuotas' | 'getProjectSettings'
  | 'putProjectSettings' | 'listForms' | 'getForm' | 'createForm' | 'updateForm' | 'deleteForm' | 'getIntegration' | 'putIntegration'
  | 'initSetting' | 'probeWrite'
>;

export function projectMethods(engine: Engine): ProjectMethods {
  const projects = createProjectMemo();
  const d = engine.dialect;
  return {
    async createProject(name, now) {
      const r = await engine.writeOne(get('INSERT INTO projects (id, name, key, created_at) VALUES (?, ?, ?, ?) RETURNING *', [shortId(10), name, secretToken(18), now]));
      return toProject(r!);
    },
    async listProjects() {
      return (await engine.read(all('SELECT * FROM projects ORDER BY created_at, id'))).map(toProject);
    },
    async getProject(id) {
      const known = projects.byId(id);
      if (known) return known;
      const r = await engine.read(get('SELECT * FROM projects WHERE id = ?', [id]));
      return projects.remember(r ? toProject(r) : null);
    },
    async getProjectByKey(key) {
      const known = projects.byKey(key);
      if (known) return known;
      const r = await engine.read(get('SELECT * FROM projects WHERE key = ?', [key]));
      return projects.remember(r ? toProject(r) : null);
    },
    async getProjectQuotas(projectId) {
      const r = await engine.read(get('SELECT quota_leads_per_day, quota_visits_per_day FROM projects WHERE id = ?', [projectId]));
      return r ? toProjectQuotas(r) : null;
    },
    async setProjectQuotas(projectId, quotas) {
      checkProjectQuotas(quotas);
      const sql = 'UPDATE projects SET quota_leads_per_day = ?, quota_visits_per_day = ? WHERE id = ?';
      return (await engine.writeOne(run(sql, [quotas.leadsPerDay, quotas.visitsPerDay, projectId]))) > 0;
    },

    async getProjectSettings(projectId) {
      return toProjectSettings(await engine.read(get('SELECT settings FROM project_settings WHERE project_id = ?', [projectId])));
    },
    async putProjectSettings(projectId, change, now) {
      return engine.write(
        (function* () {
          const stored = yield* get(`SELECT settings FROM project_settings WHERE project_id = ?${d.forUpdate}`, [projectId]);
          const settings = mergedProjectSettings(stored, change);
          yield* run(
            `INSERT INTO project_settings (project_id, settings, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (project_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
            [projectId, settings, now],
          );
          return toProjectSettings({ settings });
        })(),
      );
    },

    async listForms(projectId) {
      return (await engine.read(all('SELECT * FROM forms WHERE project_id = ? ORDER BY created_at, id', [projectId]))).map(toForm);
    },
    async getForm(projectId, formId) {
      const r = await engine.read(get('SELECT * FROM forms WHERE project_id = ? AND id = ?', [projectId, formId]));
      return r ? toForm(r) : null;
    },
    async createForm(projectId, input, now) {
      const config = JSON.stringify(FormConfigInputSchema.parse(input));
      const sql = 'INSERT INTO forms (id, project_id, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING *';
      return toForm((await engine.writeOne(get(sql, [shortId(10), projectId, config, now, now])))!);
    },
    async updateForm(projectId, formId, input, now) {
      const config = JSON.stringify(FormConfigInputSchema.parse(input));
      const r = await engine.writeOne(get('UPDATE forms SET config = ?, updated_at = ? WHERE project_id = ? AND id = ? RETURNING *', [config, now, projectId, formId]));
      return r ? toForm(r) : null;
    },
    async deleteForm(projectId, formId) {
      return (await engine.writeOne(run('DELETE FROM forms WHERE project_id = ? AND id = ?', [projectId, formId]))) > 0;
    },

    async getIntegration(projectId) {
      const r = await engine.read(get('SELECT * FROM integrations WHERE project_id = ?', [projectId]));
      return r ? toIntegration(r) : null;
    },
    async putIntegration(projectId, input, now) {
      return engine.write(
        (function* () {
          const r = yield* get(
            `INSERT INTO integrations (project_id, type, enabled, settings, retry, rate_limit, callback_url, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (project_id) DO UPDATE SET type = excluded.type, enabled = excluded.enabled,
               settings = excluded.settings, retry = excluded.retry, rate_limit = excluded.rate_limit,
               callback_url = excluded.callback_url, updated_at = excluded.updated_at
             RETURNING *`,
            [
              projectId,
              input.type,
              input.enabled ? 1 : 0,
              JSON.stringify(input.settings),
              input.retry ? JSON.stringify(input.retry) : null,
              input.rateLimit ? JSON.stringify(input.rateLimit) : null,
              input.callbackUrl ?? '',
              now,
            ],
          );
          if (input.enabled) {
            // Leads that arrived while there was no usable integration are sent now, and parked notes and call-backs go.
            const waiting = yield* all("SELECT id FROM leads WHERE project_id = ? AND status = 'no_integration' ORDER BY id", [projectId]);
            for (const w of waiting) yield* requeueLead(String(w.id), projectId, 'integration_enabled', now);
            yield* run('UPDATE jobs SET run_at = ? WHERE project_id = ? AND run_at = ?', [now, projectId, PARKED_RUN_AT]);
          }
          return toIntegration(r!);
        })(),
      );
    },

    async initSetting(name, value) {
      return engine.write(
        (function* () {
          // ON CONFLICT DO NOTHING waits for a concurrent insert of the same name, then keeps that one.
          const created = (yield* run('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [name, value])) === 1;
          return { value: String((yield* get('SELECT value FROM settings WHERE name = ?', [name]))!.value), created };
        })(),
      );
    },
    async probeWrite(now) {
      await engine.writeOne(run("INSERT INTO settings (name, value) VALUES ('health_probe', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", [String(now)]));
    },
  };
}
