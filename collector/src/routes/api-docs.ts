// What /docs (the OpenAPI document) says beyond the routes' own schemas: the proxy API's
// parameters, and each CRM type's own settings in the integration PUT (its route validates them
// after putting back masked secrets, crm/settings.ts; the union documents them). The proxy routes validate nothing by schema (PHP-style nested names in any charset:
// proxy/parse.ts reads them), so these schemas only document; they are added at document time and
// never validate a request.
import { z } from 'zod';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { IntegrationInput } from '../../../shared/schemas.ts';
import { IntegrationSettings } from '../crm/settings.ts';

const flag = (what: string) => z.enum(['0', '1']).optional().describe(what);

/** The parameters of `leads/add`, as PHP's http_build_query writes the reference article's array. */
export const ProxyLeadParamsDoc = z
  .looseObject({
    key: z.string().describe("The project's integration key (the Install page). A wrong key answers AUTH_ERROR."),
    roistat: z.string().optional().describe('The visit number from the lr_visit cookie, or "nocookie".'),
    title: z.string().optional().describe('Deal title; may hold {variables}. At most 1024 characters (longer is cut).'),
    comment: z.string().optional().describe('Comment; at most 4096 characters.'),
    name: z.string().optional().describe("The client's name."),
    email: z.string().optional().describe("The client's email."),
    phone: z.string().optional().describe("The client's phone."),
    order_creation_method: z.string().optional().describe('How the lead was made, e.g. "site form", "callback"; {orderCreationMethod}.'),
    is_need_callback: flag('1: ask the call-back webhook to ring the client; 0: not for this lead.'),
    callback_phone: z.string().optional().describe('The phone for the call back, when it is not `phone`.'),
    sync: flag('1: wait for the CRM and answer its deal id as data.order_id (or CRM_ERROR).'),
    is_need_check_order_in_processing: flag('1 (default): only originals still in work count for the 12-hour duplicate check; 0: all.'),
    is_need_check_order_in_processing_append: flag('1: a duplicate adds a comment about it to the original lead and its deal.'),
    is_skip_sending: flag('1: store the lead but never send it to the CRM (status not_sent).'),
    'fields[...]': z
      .string()
      .optional()
      .describe('Deal fields by CRM field key: fields[price]=100, fields[1276733]=…, fields[UF_CRM_…]=…; a list as fields[k][]=51&fields[k][]=52.'),
    'client_fields[...]': z.string().optional().describe('Contact fields by CRM field key, like fields[...].'),
    charset: z.string().optional().describe('The charset the values are in (e.g. Windows-1251); converted to UTF-8. Also accepted as fields[charset].'),
  })
  .describe('Roistat-compatible parameters. Unknown parameters are kept with the lead, never an error.');

/** The parameters of `leads/messages/add`. */
export const ProxyMessageParamsDoc = z.looseObject({
  key: z.string().describe("The project's integration key."),
  id: z.string().describe('The lead id that leads/add answered (data.id).'),
  title: z.string().optional().describe('The comment title.'),
  message: z.string().describe('The comment text; it reaches the CRM deal once the lead is there.'),
});

const PROXY_DOCS: Record<string, z.ZodType> = {
  '/api/proxy/1.0/leads/add': ProxyLeadParamsDoc,
  '/api/proxy/1.0/leads/messages/add': ProxyMessageParamsDoc,
};

/** The integration PUT's body as documented: the common fields and, by `type`, that CRM's settings. */
export const IntegrationBodyDoc = z.intersection(IntegrationInput.omit({ type: true, settings: true }), IntegrationSettings);
const INTEGRATION_URL = '/api/v1/projects/:projectId/integration';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/** The OpenAPI transform: zod schemas to JSON Schema, with the proxy API's parameters documented. */
export function openApiTransform(input: TransformInput) {
  if (input.url === INTEGRATION_URL && input.schema?.body && !input.schema.hide) {
    return jsonSchemaTransform({ ...input, schema: { ...input.schema, body: IntegrationBodyDoc } });
  }
  const doc = PROXY_DOCS[input.url];
  if (!doc || !input.schema || input.schema.hide) return jsonSchemaTransform(input);
  // One route serves GET and POST, and OpenAPI gives both the same schema: the parameters are listed
  // as query parameters (a GET request body would be wrong); the description says POST takes them too.
  return jsonSchemaTransform({ ...input, schema: { ...input.schema, querystring: doc } });
}
