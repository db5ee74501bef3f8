// Sends JSON as text/plain (a "simple" request: no CORS preflight) with fetch keepalive, else sendBeacon.

/**
 * A string is the lead id the collector acknowledged; a number is the HTTP status that refused it
 * (0: network error or no answer). See `isFinal` for which refusals are for good.
 */
export type SendResult = string | number;

/** Acknowledged, or refused for good (a 4xx other than 429): either way the queue forgets the lead. */
export const isFinal = (r: SendResult) => typeof r == 'string' || (r > 399 && r < 500 && r != 429);

/** The window, or a test double of the two things used from it. */
export interface Net {
  fetch?: typeof fetch;
  navigator: { sendBeacon?: (url: string, data: BodyInit) => boolean };
}

/** A string body goes as text/plain;charset=UTF-8: a CORS "simple" request, so no preflight. */
export function postText(net: Net, url: string, body: unknown): Promise<Response> {
  return net.fetch!(url, { method: 'POST', body: JSON.stringify(body), keepalive: true });
}

export function createSender(net: Net, url: string): (body: unknown) => Promise<SendResult> {
  return async (body) => {
    try {
      if (!net.fetch) {
        // A beacon gives no answer: the lead stays queued and is resent (the collector stores a clientId once).
        net.navigator.sendBeacon!(url, JSON.stringify(body));
        return 0;
      }
      const res = await postText(net, url, body);
      return res.ok ? '' + ((await res.json()) as { data: { id: string } }).data.id : res.status;
    } catch {
      return 0;
    }
  };
}
