/**
 * Building DOM without HTML strings: every piece of data (names and tags are user input) becomes a text node, so
 * nothing a user typed is ever parsed as markup.
 */
export type Child = Node | string | number | null | undefined | false;

export const h = (tag: string, attrs: Readonly<Record<string, string>> = {}, ...children: readonly Child[]): HTMLElement => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  append(el, ...children);
  return el;
};

export const append = (el: Element, ...children: readonly Child[]): void => {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "number" ? String(c) : c);
  }
};

/** Replaces an element's content. */
export const fill = (el: Element, ...children: readonly Child[]): void => {
  el.replaceChildren();
  append(el, ...children);
};

/** A two-column facts table (`th` name, `td` value). */
export const factsTable = (rows: readonly (readonly [string, Child | readonly Child[]])[]): HTMLElement =>
  h(
    "table",
    {},
    ...rows.map(([k, v]) => {
      const td = h("td");
      append(td, ...(Array.isArray(v) ? (v as readonly Child[]) : [v as Child]));
      return h("tr", {}, h("th", {}, k), td);
    }),
  );
