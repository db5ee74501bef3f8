// The debug log's messages by number: s.js logs the number (an enum esbuild inlines), the tools bundle
// prints the words (tools/messages.ts), so the words cost s.js nothing (ARCHITECTURE.md "Size").
export enum M {
  BadCommand = 1,
  LoadedTwice,
  NoTag,
  Reach,
  BadSelector,
  Skip,
  Match,
  BadCachedConfig,
  Config,
  ConfigFailed,
  Queued,
  JsRuleFailed,
  Visit,
  VisitFailed,
  Error,
  Sent,
  DroppedCap,
  Confirmed,
  NotConfirmed,
  Replaced,
  Waiting,
  Repeat,
  Invalid,
  /** A required value is empty: its key. */
  Required,
  NotOnSite,
  /** Refused for good: the HTTP status. */
  Refused,
}
