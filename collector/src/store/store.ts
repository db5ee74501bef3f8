// The one store: every method written once over an Engine (store/engine.ts), whichever database
// is underneath (store/sqlite.ts, store/postgres.ts). See docs/architecture.md "Store".
import type { Engine } from './engine.ts';
import { jobMethods } from './jobs-sql.ts';
import { leadMethods } from './leads-sql.ts';
import { projectMethods } from './projects-sql.ts';
import type { Store } from './types.ts';
import { visitMethods } from './visits-sql.ts';
import { stripNulArguments } from './without-nul.ts';

export function createStore(engine: Engine): Store {
  const store: Store = {
    close: () => engine.close(),
    db: engine.db,
    ...projectMethods(engine),
    ...visitMethods(engine),
    ...leadMethods(engine),
    ...jobMethods(engine),
  };
  return stripNulArguments(store);
}
