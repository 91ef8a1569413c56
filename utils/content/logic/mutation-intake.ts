/** Which parts of the page the scanner reads again after a batch of mutations. DOM only. */
import { blockOf, isInline, isOwnHost, mayHoldNumber } from './find-orders';

/** Whether a node next to a change may be part of a number: visible text or inline markup. */
function beside(node: Node | null): boolean {
  if (!node) return false;
  if (node.nodeType === 3) return /\S/.test((node as Text).data);
  return node.nodeType === 1 && isInline(node as Element) && !isOwnHost(node);
}

/**
 * Queues what the records touched; true when there is anything to do. `withControls`: blocks where
 * a control stands; `ours`: hosts of our live controls (one the scanner removed itself is not news);
 * `onRemoval`: something was removed, the live controls must be checked.
 */
export function queueMutations(
  records: MutationRecord[],
  queue: Set<Node>,
  withControls: WeakMap<Element, unknown>,
  ours: WeakMap<Element, unknown>,
  onRemoval: () => void,
): boolean {
  let changed = false;
  for (const record of records) {
    if (record.type === 'characterData') {
      // Read again where a control stands, or where the new text may hold (part of) a number:
      // a framework patching a whole table rewrites hundreds of cells that hold none.
      const text = record.target as Text;
      const block = blockOf(text);
      if (block && (withControls.has(block) || mayHoldNumber(text))) queue.add(block);
      changed = true;
      continue;
    }
    // Text or inline markup added or removed, or anything added or removed inside inline markup
    // or right beside text, may join or split a number: its block is read again.
    let touchesRun = isInline(record.target as Element) || beside(record.previousSibling) || beside(record.nextSibling);
    for (const node of record.addedNodes) {
      if (isOwnHost(node) || node.nodeType === 8) continue;
      changed = true;
      if (node.nodeType === 1 && !isInline(node as Element)) queue.add(node);
      else touchesRun = true;
    }
    for (const node of record.removedNodes) {
      if (node.nodeType === 8 || (isOwnHost(node) && !ours.has(node as Element))) continue; // one we removed ourselves
      changed = true;
      onRemoval();
      if (node.nodeType === 3 || (node.nodeType === 1 && isInline(node as Element))) touchesRun = true;
    }
    const block = changed && touchesRun && blockOf(record.target);
    if (block) queue.add(block);
  }
  return changed;
}
