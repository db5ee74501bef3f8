// How a typed name becomes a contact's first, last and middle name: Western and Russian order.
import { describe, expect, it } from 'vitest';
import { splitName, type PersonName } from '../../src/crm/person-name.ts';

const cases: Array<[string, PersonName]> = [
  ['', { first: '', last: '' }],
  ['   ', { first: '', last: '' }],
  ['Anna', { first: 'Anna', last: '' }],
  ['John Smith', { first: 'John', last: 'Smith' }],
  ['  John   Smith ', { first: 'John', last: 'Smith' }],
  ['Mary Jane Watson', { first: 'Mary', last: 'Watson', middle: 'Jane' }],
  ['Ludwig van Beethoven', { first: 'Ludwig', last: 'van Beethoven' }],
  ['Juan de la Cruz', { first: 'Juan', last: 'de la Cruz' }],
  ['Smith, John', { first: 'John', last: 'Smith' }],
  ['Иванов, Иван Иванович', { first: 'Иван', last: 'Иванов', middle: 'Иванович' }],
  // Russian order, marked by the patronymic.
  ['Иванов Иван Иванович', { first: 'Иван', last: 'Иванов', middle: 'Иванович' }],
  ['Петрова Анна Сергеевна', { first: 'Анна', last: 'Петрова', middle: 'Сергеевна' }],
  ['Ильина Ольга Ильинична', { first: 'Ольга', last: 'Ильина', middle: 'Ильинична' }],
  ['Кузьмина Вера Фоминична', { first: 'Вера', last: 'Кузьмина', middle: 'Фоминична' }],
  ['иванов иван иванович', { first: 'иван', last: 'иванов', middle: 'иванович' }],
  ['ПЕТРОВ ПЁТР ПЕТРОВИЧ', { first: 'ПЁТР', last: 'ПЕТРОВ', middle: 'ПЕТРОВИЧ' }],
  ['Римский-Корсаков Николай Андреевич', { first: 'Николай', last: 'Римский-Корсаков', middle: 'Андреевич' }],
  ['Абрамович Роман Аркадьевич', { first: 'Роман', last: 'Абрамович', middle: 'Аркадьевич' }],
  // "Имя Отчество Фамилия" and "Имя Отчество".
  ['Иван Петрович Сидоров', { first: 'Иван', last: 'Сидоров', middle: 'Петрович' }],
  ['Иван Петрович Абрамович', { first: 'Иван', last: 'Абрамович', middle: 'Петрович' }],
  ['Анна Сергеевна', { first: 'Анна', last: '', middle: 'Сергеевна' }],
  // -оглы / -кызы, written together or apart.
  ['Мамедов Эльчин Гусейноглы', { first: 'Эльчин', last: 'Мамедов', middle: 'Гусейноглы' }],
  ['Мамедов Эльчин Гусейн оглы', { first: 'Эльчин', last: 'Мамедов', middle: 'Гусейн оглы' }],
  ['Алиева Лейла Гасан кызы', { first: 'Лейла', last: 'Алиева', middle: 'Гасан кызы' }],
  ['Лейла Гасан кызы', { first: 'Лейла', last: '', middle: 'Гасан кызы' }],
  // Without a patronymic the order is Western: two Russian words are "Имя Фамилия".
  ['Иван Иванов', { first: 'Иван', last: 'Иванов' }],
  ['Роман Абрамович', { first: 'Роман', last: 'Абрамович' }],
  ['Кристина Марина', { first: 'Кристина', last: 'Марина' }],
  // A word that only ends like a patronymic in Latin letters is not one.
  ['Novak Djokovich Jr', { first: 'Novak', last: 'Jr', middle: 'Djokovich' }],
];

describe('splitName', () => {
  it.each(cases)('%j', (full, expected) => {
    expect(splitName(full)).toEqual(expected);
  });

  it('keeps every word of the name in one of the parts', () => {
    for (const [full] of cases) {
      const { first, last, middle } = splitName(full);
      const kept = [first, middle ?? '', last].join(' ').split(/\s+/).filter(Boolean).sort();
      expect(kept).toEqual(full.replace(/,/g, ' ').split(/\s+/).filter(Boolean).sort());
    }
  });
});
