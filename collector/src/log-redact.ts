// What the collector's logs never print (README "Privacy"): the admin token, the session cookie (in and
// out), and an integration's settings (its secrets). One list for server.ts and buildApp's own logger.
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'settings',
];
