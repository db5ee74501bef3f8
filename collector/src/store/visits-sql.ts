// The store's visit methods (store/types.ts `Store`) for both dialects: a visit is numbered once,
// and the same browser registering it again within VISIT_REPEAT_WINDOW_MS gets the same number.
import { get, run, type Engine } from './engine.ts';
import { toVisit, visitFingerprint, VISIT_REPEAT_WINDOW_MS } from './rows.ts';
import { countToday, VISIT_BY_FINGERPRINT } from './statements.ts';
import type { Store } from './types.ts';

export function visitMethods(engine: Engine): Pick<Store, 'registerVisit' | 'getVisit'> {
  const d = engine.dialect;
  return {
    async registerVisit(projectId, body, ip, userAgent, now, visitsPerDay) {
      return engine.write(
        (function* () {
          // The project's row lock (which numbering the visit takes anyway) makes two processes see each other's repeat.
          if (d.lockProjectRow) yield* get(d.lockProjectRow, [projectId]);
          const fingerprint = visitFingerprint(body, ip, userAgent);
          const repeat = yield* get(VISIT_BY_FINGERPRINT, [projectId, fingerprint, now - VISIT_REPEAT_WINDOW_MS]);
          if (repeat) return Number(repeat.number);
          yield* countToday('visits', projectId, now, visitsPerDay);
          const number = Number((yield* get('UPDATE projects SET last_visit = last_visit + 1 WHERE id = ? RETURNING last_visit', [projectId]))!.last_visit);
          yield* run(
            `INSERT INTO visits (project_id, number, first_visit, landing_page, referrer, utm, click_ids, params, ip, user_agent, created_at, fingerprint)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [projectId, number, body.firstVisit ?? number, body.landingPage, body.referrer, JSON.stringify(body.utm), JSON.stringify(body.clickIds), JSON.stringify(body.params), ip, userAgent, now, fingerprint],
          );
          return number;
        })(),
      );
    },
    async getVisit(projectId, number) {
      const r = await engine.read(get('SELECT * FROM visits WHERE project_id = ? AND number = ?', [projectId, number]));
      return r ? toVisit(r) : null;
    },
  };
}
