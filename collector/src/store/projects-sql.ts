// The store's project methods (store/types.ts `Store`) for both dialects: projects and their
// quotas, settings, forms and integration, and the process-wide settings.
import { FormConfigInput as FormConfigInputSchema } from '../../../shared/form-config.ts';
import { secretToken, shortId } from '../../../shared/ids.ts';
import { all, get, run, type Engine } from './engine.ts';
import {
  checkProjectQuotas,
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
  // Lookups of the public routes, kept where this process is the only writer (store/lookup-cache.ts);
  // every change below drops them once it is committed.
  const cache = engine.lookups;
  const changed = <T>(write: Promise<T>): Promise<T> => write.finally(() => cache.clear());
  const d = engine.dialect;
  return {
    async createProject(name, now) {
      const r = await changed(engine.writeOne(get('INSERT INTO projects (id, name, key, created_at) VALUES (?, ?, ?, ?) RETURNING *', [shortId(10), name, secretToken(18), now])));
      return toProject(r!);
    },
    async listProjects() {
      return (await engine.read(all('SELECT * FROM projects ORDER BY created_at, id'))).map(toProject);
    },
    async getProject(id) {
      return cache.get(`p\u0000${id}`, async () => {
        const r = await engine.read(get('SELECT * FROM projects WHERE id = ?', [id]));
        return r ? toProject(r) : null;
      });
    },
    async getProjectByKey(key) {
      return cache.get(`k\u0000${key}`, async () => {
        const r = await engine.read(get('SELECT * FROM projects WHERE key = ?', [key]));
        return r ? toProject(r) : null;
      });
    },
    async getProjectQuotas(projectId) {
      const r = await engine.read(get('SELECT quota_leads_per_day, quota_visits_per_day FROM projects WHERE id = ?', [projectId]));
      return r ? toProjectQuotas(r) : null;
    },
    async setProjectQuotas(projectId, quotas) {
      checkProjectQuotas(quotas);
      const sql = 'UPDATE projects SET quota_leads_per_day = ?, quota_visits_per_day = ? WHERE id = ?';
      return (await changed(engine.writeOne(run(sql, [quotas.leadsPerDay, quotas.visitsPerDay, projectId])))) > 0;
    },

    async getProjectSettings(projectId) {
      return cache.get(`s\u0000${projectId}`, async () => toProjectSettings(await engine.read(get('SELECT settings FROM project_settings WHERE project_id = ?', [projectId]))));
    },
    async putProjectSettings(projectId, change, now) {
      return changed(engine.write(
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
      ));
    },

    async listForms(projectId) {
      return (await engine.read(all('SELECT * FROM forms WHERE project_id = ? ORDER BY created_at, id', [projectId]))).map(toForm);
    },
    async getForm(projectId, formId) {
      return cache.get(`f\u0000${projectId}\u0000${formId}`, async () => {
        const r = await engine.read(get('SELECT * FROM forms WHERE project_id = ? AND id = ?', [projectId, formId]));
        return r ? toForm(r) : null;
      });
    },
    async createForm(projectId, input, now) {
      const config = JSON.stringify(FormConfigInputSchema.parse(input));
      const sql = 'INSERT INTO forms (id, project_id, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING *';
      return toForm((await changed(engine.writeOne(get(sql, [shortId(10), projectId, config, now, now]))))!);
    },
    async updateForm(projectId, formId, input, now) {
      const config = JSON.stringify(FormConfigInputSchema.parse(input));
      const r = await changed(engine.writeOne(get('UPDATE forms SET config = ?, updated_at = ? WHERE project_id = ? AND id = ? RETURNING *', [config, now, projectId, formId])));
      return r ? toForm(r) : null;
    },
    async deleteForm(projectId, formId) {
      return (await changed(engine.writeOne(run('DELETE FROM forms WHERE project_id = ? AND id = ?', [projectId, formId])))) > 0;
    },

    async getIntegration(projectId) {
      // The delivery worker asks for it before every attempt.
      return cache.get(`i\u0000${projectId}`, async () => {
        const r = await engine.read(get('SELECT * FROM integrations WHERE project_id = ?', [projectId]));
        return r ? toIntegration(r) : null;
      });
    },
    async putIntegration(projectId, input, now) {
      return changed(engine.write(
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
      ));
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
