/**
 * Elements for the content script's views, made directly: no virtual DOM, no framework in the script
 * every portal page loads (the popup and options keep Preact). `on…` keys (`onclick`, `onkeydown`…) add
 * listeners; every other key is an attribute, left out when false, null or undefined (true: present
 * and empty). aria-* values are strings (`'true'`), as the attribute reads them.
 */
type Value = string | number | boolean | null | undefined;
export type Attrs = Record<string, Value | ((event: never) => unknown)>;
export type Child = Node | string | false | null | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const name in attrs) {
    const value = attrs[name];
    if (typeof value === 'function') element.addEventListener(name.slice(2), value as EventListener);
    else if (value != null && value !== false) element.setAttribute(name, value === true ? '' : `${value}`);
  }
  for (const child of children) if (child != null && child !== false) element.append(child);
  return element;
}
