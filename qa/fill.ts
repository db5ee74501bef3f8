// Test values for a form: a name, a valid-looking phone and email and a comment, each marked so the
// lead they make is told apart from others; every other control the page requires gets a value of its type.
import type { ElementHandle, Page } from 'playwright-core';
import type { InspectReport } from './check.ts';

export interface FilledValues {
  name?: string;
  phone?: string;
  email?: string;
  comment?: string;
}

type FormInfo = Pick<InspectReport['forms'][number], 'fields' | 'trigger'>;

export function testValues(marker: string): Required<FilledValues> {
  return {
    name: `Leadrelay Check ${marker}`,
    phone: `+7 900 ${marker.slice(0, 3)}-${marker.slice(3, 5)}-${marker.slice(5, 7)}`,
    email: `leadrelay-check-${marker}@example.com`,
    comment: `leadrelay check ${marker}`,
  };
}

/** Seven digits, so the phone is a plausible one and every value carries the same marker. */
function newMarker(): string {
  return String(Math.floor(Math.random() * 9_000_000) + 1_000_000);
}

/** The element whose controls the form's field rules read: the form, else the nearest ancestor holding them. */
async function scopeOf(target: ElementHandle<Element>, names: string[]): Promise<ElementHandle<Element>> {
  const handle = await target.evaluateHandle((el, wanted) => {
    const form = el.tagName === 'FORM' ? el : el.closest('form');
    if (form) return form;
    let node: Element | null = el;
    while (node && node !== document.body) {
      if (wanted.some((n) => node?.querySelector(`[name="${CSS.escape(n)}"]`))) return node;
      node = node.parentElement;
    }
    return document.body;
  }, names);
  return handle as ElementHandle<Element>;
}

async function setControl(control: ElementHandle<Element>, value: string): Promise<void> {
  const kind = await control.evaluate((el) => (el.tagName === 'SELECT' ? 'select' : el.tagName === 'TEXTAREA' ? 'text' : ((el as HTMLInputElement).type || 'text')));
  if (kind === 'select') {
    const option = await control.evaluate((el) => [...(el as HTMLSelectElement).options].find((o) => o.value)?.value ?? '');
    await control.selectOption(option);
  } else if (kind === 'checkbox' || kind === 'radio') {
    await control.check();
  } else {
    await control.fill(value);
  }
}

export async function fillTestValues(_page: Page, target: ElementHandle<Element>, form: FormInfo): Promise<FilledValues> {
  const values = testValues(newMarker());
  const byField = form.fields.filter((f) => f.source === 'field' && f.value);
  const scope = await scopeOf(target, byField.map((f) => f.value));
  const filled: FilledValues = {};
  for (const rule of byField) {
    const control = await scope.$(`[name="${rule.value.replace(/["\\]/g, '\\$&')}"]`);
    if (!control) continue;
    const key = rule.key as keyof FilledValues;
    const value = key in values ? values[key] : 'test';
    await setControl(control, value);
    if (key in values && (await control.evaluate((el) => !['checkbox', 'radio', 'select-one', 'select-multiple'].includes((el as HTMLInputElement).type)))) {
      filled[key] = value;
    }
  }
  // Controls the page itself requires, still empty: a value of their type, so the browser lets the form go.
  for (const control of await scope.$$('input[required], textarea[required], select[required]')) {
    const empty = await control.evaluate((el) => {
      const input = el as HTMLInputElement;
      return input.type === 'checkbox' || input.type === 'radio' ? !input.checked : !input.value;
    });
    if (!empty) continue;
    const type = await control.evaluate((el) => (el as HTMLInputElement).type);
    await setControl(control, type === 'email' ? values.email : type === 'tel' ? values.phone : type === 'number' ? '1' : 'test');
  }
  return filled;
}

/** Sends the form the way a visitor would: its submit button (or requestSubmit), or a click on the trigger. */
export async function triggerForm(page: Page, target: ElementHandle<Element>, trigger: 'submit' | 'click'): Promise<void> {
  if (trigger === 'click') {
    await target.click();
  } else {
    const button = await target.evaluateHandle((el) => {
      if (el.tagName !== 'FORM') return el;
      return el.querySelector('button[type=submit], input[type=submit], button:not([type])') ?? el;
    });
    const element = button.asElement() as ElementHandle<Element> | null;
    const isForm = element ? await element.evaluate((el) => el.tagName === 'FORM') : true;
    if (element && !isForm) await element.click();
    else await target.evaluate((el) => (el as HTMLFormElement).requestSubmit());
  }
  // Let a navigation the submit starts finish, so the snippet's keepalive request is on its way.
  await page.waitForLoadState('load').catch(() => undefined);
}
