// Test helpers: form configs with defaults, a memory lead store, a recording logger.
import type { PublicFormConfig } from '../../shared/form-config.ts';
import type { Entry, LeadStore } from '../queue.ts';
import { words } from '../tools/messages.ts';

export function formConfig(over: Partial<PublicFormConfig> = {}): PublicFormConfig {
  return {
    id: 'f1',
    enabled: true,
    title: 'Request',
    trigger: 'submit',
    selector: '#contact',
    callback: false,
    sendToCrm: true,
    sites: [],
    excludeSites: false,
    fields: {},
    extraFields: [],
    confirm: null,
    ...over,
  };
}

export function memoryStore(): LeadStore & { map: Map<string, Entry>; log: string[] } {
  const map = new Map<string, Entry>();
  const log: string[] = [];
  return {
    map,
    log,
    all_: async () => [...map.values()],
    put_: async (e) => {
      log.push('put ' + e.id);
      map.set(e.id, e);
    },
    del_: async (id) => {
      log.push('del ' + id);
      map.delete(id);
    },
  };
}

export function recordingLog() {
  const lines: string[] = [];
  const log = (...args: unknown[]) => {
    lines.push(words(args).map((a) => (typeof a == 'string' || a instanceof Error ? String(a) : JSON.stringify(a))).join(' '));
  };
  return { log, lines, text: () => lines.join('\n') };
}
