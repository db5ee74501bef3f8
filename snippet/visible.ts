// Which elements matching a confirmation's selector are visible: laid out (display:none on one or an ancestor
// gives no box). Throws on a bad selector: callers guard it (ARCHITECTURE.md "Confirmation").
export const shown = (doc: Document, selector?: string): Element[] =>
  selector ? [...doc.querySelectorAll(selector)].filter((el) => el.getClientRects().length) : [];
