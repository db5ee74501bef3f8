// The snippet's entry (built to dist/s.js): see ARCHITECTURE.md.
import { boot } from './boot.ts';

boot(window);
