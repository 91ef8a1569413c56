// @vitest-environment happy-dom
/** What the scanner reads again after a batch of mutations: a table body put in at once is one subtree to read. */
import { beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_TAG } from '@/utils/content/logic/find-orders';
import { queueMutations } from '@/utils/content/logic/mutation-intake';

const no = (n: number) => `TESTB2026112510${String(n).padStart(7, '0')}`;

function makeRows(from: number, count: number): HTMLTableRowElement[] {
  const table = document.createElement('table');
  table.innerHTML = `<tbody>${Array.from({ length: count }, (_, i) => `<tr><td><a>${no(from + i)}</a></td></tr>`).join('')}</tbody>`;
  return [...table.querySelectorAll('tr')];
}

/**
 * The record a browser gives when a page script puts these nodes in at once (one fragment, as the
 * sandbox's list does; happy-dom reports a fragment's nodes one record each), and before it, the
 * removal of what the parent held, when `replace`.
 */
function putInAtOnce(parent: Element, nodes: Node[], replace = false): MutationRecord[] {
  const removed = replace ? [...parent.childNodes] : [];
  const previousSibling = replace ? null : parent.lastChild;
  if (replace) parent.textContent = '';
  parent.append(...nodes);
  const record = (addedNodes: Node[], removedNodes: Node[], previous: Node | null) =>
    ({ type: 'childList', target: parent, addedNodes, removedNodes, previousSibling: previous, nextSibling: null }) as unknown as MutationRecord;
  return [...(replace ? [record([], removed, null)] : []), record(nodes, [], previousSibling)];
}

function intake(records: MutationRecord[]) {
  const queue = new Set<Node>();
  let removal = false;
  const changed = queueMutations(records, queue, new WeakMap(), new WeakMap(), () => (removal = true));
  return { queue: [...queue], changed, removal };
}

let tbody: HTMLTableSectionElement;
beforeEach(() => {
  document.body.innerHTML = '<table><tbody></tbody></table>';
  tbody = document.querySelector('tbody')!;
});

describe('mutation intake', () => {
  it('queues a table body whose rows were put in at once as one subtree, not each row', () => {
    const rows = makeRows(1, 200);
    const { queue, changed } = intake(putInAtOnce(tbody, rows));
    expect(changed).toBe(true);
    expect(queue).toEqual([tbody]);
  });

  it('queues each new row when few are added, or when they are a small part of what the body holds', () => {
    expect(intake(putInAtOnce(tbody, makeRows(1, 10))).queue).toHaveLength(10);
    tbody.append(...makeRows(11, 300));
    const added = makeRows(311, 100);
    const { queue } = intake(putInAtOnce(tbody, added)); // 310 rows there, 100 new
    expect(queue).toHaveLength(100);
    expect(queue).toEqual(added);
  });

  it('rows swapped for others (paging): the removal is reported and the new body read', () => {
    tbody.append(...makeRows(1, 200));
    const { queue, changed, removal } = intake(putInAtOnce(tbody, makeRows(201, 200), true));
    expect(changed).toBe(true);
    expect(removal).toBe(true);
    expect(queue).toEqual([tbody]);
  });

  it('a batch of our own hosts or comments only is no change', () => {
    const { queue, changed } = intake(putInAtOnce(tbody, Array.from({ length: 100 }, (_, i) => (i % 2 ? document.createComment('x') : document.createElement(CONTROL_TAG)))));
    expect(changed).toBe(false);
    expect(queue).toEqual([]);
  });
});
