/** Gathers what is asked for in one task and hands it over together in the next one (one storage read for every control made at once). */
export function batchPerTask<K>(handle: (batch: K[]) => void): (key: K) => void {
  let pending = new Set<K>();
  let scheduled = false;
  return (key) => {
    pending.add(key);
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      const batch = [...pending];
      pending = new Set();
      handle(batch);
    }, 0);
  };
}
