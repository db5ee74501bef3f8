// One person's name as typed into a form, split into the parts a CRM's contact card wants.
//
// Rules (the README's CRM table points here):
// - Spaces are collapsed; an empty name gives empty parts; a single word is the first name.
// - "Last, First [Middle]" (a comma) is taken as written.
// - A patronymic marks Russian order. A patronymic is a Cyrillic word after the first one ending in
//   -вич, -вна, -ична or -инична, or a word ending in -оглы/-кызы (also written apart: "Гусейн оглы").
//   - "Фамилия Имя Отчество": the patronymic is last → last = the words before the given name.
//   - "Имя Отчество [Фамилия]": the patronymic is second → first, middle, then the rest is the last name.
//   - Two words where the second ends in -вич are "Имя Фамилия" (Абрамович, Шостакович are surnames, and a
//     bare "Имя Отчество" man's form cannot be told apart); the female -вна/-ична forms are patronymics.
// - Otherwise Western order "First [Middle…] Last"; lower-case particles (van, von, de, da, di, du, la,
//   le, del, der, den, dos, das, ter, ten, bin, ibn, al) before the last word belong to the last name.
// Nothing is guessed beyond that: callers that must not lose text keep the whole name elsewhere too.

export interface PersonName {
  first: string;
  last: string;
  middle?: string;
}

const PATRONYMIC = /[а-яё]{2,}(?:вич|вна|ична|оглы|кызы)$/iu;
const FEMALE_PATRONYMIC = /[а-яё]{2,}(?:вна|ична|кызы)$/iu;
const PATRONYMIC_WORD = /^(?:оглы|кызы|улы|уулу)$/iu;
const PARTICLES = new Set(['van', 'von', 'de', 'da', 'di', 'du', 'la', 'le', 'del', 'der', 'den', 'dos', 'das', 'ter', 'ten', 'bin', 'ibn', 'al']);

function words(text: string): string[] {
  const out: string[] = [];
  for (const w of text.trim().split(/\s+/)) {
    if (!w) continue;
    // "Гусейн оглы": the separate word belongs to the father's name before it.
    if (PATRONYMIC_WORD.test(w) && out.length > 1) out[out.length - 1] += ` ${w}`;
    else out.push(w);
  }
  return out;
}

function isPatronymic(word: string, wordCount: number): boolean {
  if (/ (?:оглы|кызы|улы|уулу)$/iu.test(word)) return true;
  return wordCount === 2 ? FEMALE_PATRONYMIC.test(word) || /оглы$/iu.test(word) : PATRONYMIC.test(word);
}

function withMiddle(first: string, last: string, middle: string[]): PersonName {
  return middle.length ? { first, last, middle: middle.join(' ') } : { first, last };
}

export function splitName(full: string): PersonName {
  const comma = full.indexOf(',');
  if (comma > 0) {
    const last = words(full.slice(0, comma)).join(' ');
    const [first = '', ...middle] = words(full.slice(comma + 1).replace(/,/g, ' '));
    if (last && first) return withMiddle(first, last, middle);
  }
  const w = words(full.replace(/,/g, ' '));
  if (w.length === 0) return { first: '', last: '' };
  if (w.length === 1) return { first: w[0]!, last: '' };

  const p = w.findIndex((word, i) => i > 0 && isPatronymic(word, w.length));
  if (p === 1) return { first: w[0]!, last: w.slice(2).join(' '), middle: w[1]! };
  if (p > 1) return { first: w[p - 1]!, last: [...w.slice(0, p - 1), ...w.slice(p + 1)].join(' '), middle: w[p]! };

  let lastStart = w.length - 1;
  while (lastStart > 1 && PARTICLES.has(w[lastStart - 1]!)) lastStart--;
  return withMiddle(w[0]!, w.slice(lastStart).join(' '), w.slice(1, lastStart));
}
