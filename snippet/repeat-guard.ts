// The double-submit guard: the same form with the same values within 10 s makes one lead.
export function createRepeatGuard(now: () => number, windowMs = 10_000): (formId: string, values: string) => boolean {
  const last: Record<string, [string, number]> = {};
  return (formId, values) => {
    const prev = last[formId];
    const repeat = !!prev && prev[0] == values && now() - prev[1] < windowMs;
    if (!repeat) last[formId] = [values, now()];
    return repeat;
  };
}
