// The form editor's variables helper: a click on {utmSource} inserts it where the caret was, in the title
// or in the text box the marketer used last (lib/variables.ts knows the variables and the insertion).
import { useEffect, useRef } from 'preact/hooks';
import { messages } from '../lib/i18n.ts';
import { VARIABLE_GROUPS, groupLabel, insertVariable, variableHint } from '../lib/variables.ts';

const t = messages({
  en: { variables: 'Variables' },
  ru: { variables: 'Переменные' },
});

type TextBox = HTMLInputElement | HTMLTextAreaElement;

/** Where a clicked variable goes: the title, or the text box the marketer used last. */
interface InsertTarget {
  el: TextBox;
  set: (text: string) => void;
}

/**
 * The insertion point of the variables helper. The title's input takes `titleRef`; a value box reports its
 * focus with `focusValue` (and the title with `focusTitle`, making the title the target again).
 */
export function useVariableInsert() {
  const target = useRef<InsertTarget | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const pendingCaret = useRef<{ el: TextBox; caret: number } | null>(null);

  // Put the caret after an inserted variable once the new text is rendered.
  useEffect(() => {
    const p = pendingCaret.current;
    if (!p) return;
    pendingCaret.current = null;
    p.el.focus();
    p.el.setSelectionRange(p.caret, p.caret);
  });

  return {
    titleRef,
    focusTitle: () => {
      target.current = null;
    },
    focusValue: (el: TextBox, set: (text: string) => void) => {
      target.current = { el, set };
    },
    /** Inserts `{name}` into the target; `setTitle` stores the title's new text when the title is the target. */
    insert: (name: string, setTitle: (title: string) => void) => {
      const to = target.current ?? (titleRef.current ? { el: titleRef.current, set: setTitle } : null);
      if (!to) return;
      const el = to.el;
      const { text, caret } = insertVariable(el.value, name, el.selectionStart ?? el.value.length, el.selectionEnd ?? el.value.length);
      pendingCaret.current = { el, caret };
      to.set(text);
    },
  };
}

export function VariablesHelper({ onPick }: { onPick: (name: string) => void }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a row of buttons, not form fields; a <fieldset> would bring its own border and layout
    <div class="variables" role="group" aria-label={t('variables')}>
      {VARIABLE_GROUPS.map((group) => (
        <div class="variable-group" key={group.id}>
          <span class="variable-group-label">{groupLabel(group)}</span>
          {group.items.map((v) => (
            <button type="button" class="chip" key={v.name} title={variableHint(v)} onMouseDown={(e) => e.preventDefault()} onClick={() => onPick(v.name)}>
              {`{${v.name}}`}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}
