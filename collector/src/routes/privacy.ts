// The admin API's privacy operations (docs/privacy.md "Erasure"): erasing one person's leads. Registered
// inside the admin routes (routes/admin.ts), so the admin API's authentication covers it.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LIMITS } from '../../../shared/schemas.ts';
import { normalizeEmail, normalizePhone } from '../../../shared/phone.ts';
import { principalOf } from '../auth/principal.ts';
import { recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { erasePerson } from '../privacy/purge.ts';
import { projectOr404 } from './lookups.ts';

const ProjectParams = z.object({ projectId: z.string().min(1).max(64) });

export const ErasureBody = z.strictObject({
  phone: z.string().max(LIMITS.phone).optional(),
  email: z.string().max(LIMITS.email).optional(),
});

/** What every erasure answer says: the CRM keeps its own copy. */
export const CRM_COPY_NOTE =
  "The CRM's copy is not touched: delete the person's deals and contacts in the CRM as well. A lead being sent at this moment may still reach it.";

export function privacyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/projects/:projectId/erasure',
      {
        schema: {
          params: ProjectParams,
          body: ErasureBody,
          summary: "Erase one person's leads",
          description:
            'Deletes every lead of the project whose normalized phone or email matches, with its delivery jobs, attempts and comments, and the visits those leads name. ' +
            "Answers {deleted, message}: the number of leads; the CRM's copy is not touched.",
        },
      },
      async (req) => {
        const project = await projectOr404(ctx.store, req.params.projectId);
        // The same normalization as the duplicate check, so every spelling of one phone matches.
        const person = { phoneNorm: normalizePhone(req.body.phone ?? ''), emailNorm: normalizeEmail(req.body.email ?? '') };
        if (!person.phoneNorm && !person.emailNorm) {
          throw new ApiError('VALIDATION_ERROR', 'phone, email: give at least one of them (a phone needs digits)');
        }
        const deleted = await erasePerson(ctx.store.db, project.id, person);
        // The erased values never go into the log: only what was asked by and how much went.
        await recordAudit(
          ctx.store.db,
          {
            projectId: project.id,
            actor: principalOf(req)?.actor ?? 'unknown',
            action: 'erasure',
            detail: { byPhone: !!person.phoneNorm, byEmail: !!person.emailNorm, deleted },
          },
          ctx.now(),
        );
        req.log.info({ projectId: project.id, deleted }, 'erasure: leads of one person deleted');
        const what =
          deleted.leads === 0
            ? 'No lead of this person was found in the project.'
            : `${deleted.leads === 1 ? '1 lead' : `${deleted.leads} leads`} erased, with delivery attempts, comments and ${deleted.visits} visit${deleted.visits === 1 ? '' : 's'}.`;
        return { deleted: deleted.leads, message: `${what} ${CRM_COPY_NOTE}` };
      },
    );
  };
}
