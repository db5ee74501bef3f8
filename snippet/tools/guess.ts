// The picker's guess of which control is the lead's name, phone, email or comment: by type,
// autocomplete, name and label, in English and Russian.
import type { LeadFieldName } from '../../shared/form-config.ts';

const WORDS: [LeadFieldName, RegExp][] = [
  ['email', /e-?mail|почт|мейл/i],
  ['phone', /phone|tel|mobile|телефон|тел\b|номер/i],
  ['comment', /comment|message|question|note|комментар|сообщени|вопрос|пожелани/i],
  ['name', /name|fio|фио|имя|имени|как к вам/i],
];

export function guessField(type: string, autocomplete: string, name: string, label: string): LeadFieldName | '' {
  if (type == 'email' || /email/.test(autocomplete)) return 'email';
  if (type == 'tel' || /^tel/.test(autocomplete)) return 'phone';
  if (/name/.test(autocomplete)) return 'name';
  if (type == 'textarea') return 'comment';
  for (const text of [name, label]) for (const [field, re] of WORDS) if (re.test(text)) return field;
  return '';
}
