// A form's `sites` (docs/http-api.md "Form config"): exact host or a subdomain of it, `www.` ignored; excludeSites inverts; empty means everywhere.
// "https://www.Example.com:8080/path" -> "example.com"
const normalize = (site: string) => site.trim().toLowerCase().replace(/^\w+:\/\/|[/:?#].*|\.$/g, '').replace(/^www\./, '');

export function siteApplies(hostname: string, sites: string[], exclude: boolean): boolean {
  const host = normalize(hostname);
  const listed = sites.map(normalize).filter(Boolean);
  if (!listed.length) return true;
  const hit = listed.some((s) => host == s || host.endsWith('.' + s));
  return hit != exclude;
}
