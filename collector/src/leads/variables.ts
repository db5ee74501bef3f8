// The {variables} glue for a lead: the values shared/variables.ts expands, built from the lead, its
// visit, the page context and the request (README "Variables"). shared/variables.ts stays in shared/:
// it is pure, has no collector dependency, and is the list the documents name (docs/architecture.md).
import type { Lead, PageContext } from '../../../shared/schemas.ts';
import { buildVariables, type Variables } from '../../../shared/variables.ts';
import type { GeoPlace } from '../geo.ts';
import type { StoredVisit } from '../store/types.ts';
import { describeUserAgent } from '../useragent.ts';

export interface RequestInfo {
  ip: string;
  userAgent: string;
  /** Where the IP is (collector/src/geo.ts); absent or empty without a GeoIP database. */
  geo?: GeoPlace;
}

/** Everything the {variables} (README "Variables") can be taken from. */
export interface VariableContext {
  lead: Pick<Lead, 'name' | 'phone' | 'email' | 'orderCreationMethod' | 'page'>;
  visit: StoredVisit | null;
  context: PageContext | null;
  request: RequestInfo;
  now: number;
}

/** The value of every variable for one lead (shared/variables.ts), computed once per lead. */
export function leadVariables(vc: VariableContext): Variables {
  const ua = describeUserAgent(vc.request.userAgent);
  return buildVariables({
    lead: { ...vc.lead, createdAt: new Date(vc.now).toISOString() },
    ...(vc.visit ? { visit: { ...vc.visit, createdAt: new Date(vc.visit.createdAt).toISOString() } } : {}),
    ...(vc.context ? { context: vc.context } : {}),
    request: { ip: vc.request.ip, browser: ua.browser, os: ua.os },
    ...(vc.request.geo ? { geo: vc.request.geo } : {}),
  });
}

/** The lead's variables, built on first use and then kept (a lead with no `{` never builds them). */
export function lazyLeadVariables(vc: VariableContext, adjust?: (vars: Variables) => void): () => Variables {
  let vars: Variables | undefined;
  return () => {
    if (!vars) {
      vars = leadVariables(vc);
      adjust?.(vars);
    }
    return vars;
  };
}
