import { createElement, type Component, type FunctionComponent } from 'preact';

/**
 * `memo` without `preact/compat`: importing compat installs a hook that rewrites the props of every
 * element Preact creates, which costs the popup's first render more than the rows it saves.
 * Re-renders the component only when a prop changed (shallow comparison).
 */
export function memo<P extends object>(component: FunctionComponent<P>): FunctionComponent<P> {
  function shouldUpdate(this: Component<P>, next: P) {
    const previous = this.props as Record<string, unknown>;
    const now = next as Record<string, unknown>;
    for (const key in previous) if (key !== 'children' && !(key in now)) return true;
    for (const key in now) if (key !== 'children' && previous[key] !== now[key]) return true;
    return false;
  }
  function Memoed(this: Component<P>, props: P) {
    this.shouldComponentUpdate = shouldUpdate;
    return createElement(component, props);
  }
  Memoed.displayName = `Memo(${component.displayName ?? component.name})`;
  return Memoed as FunctionComponent<P>;
}
