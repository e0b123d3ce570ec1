// Runs async work over a list with at most `limit` items in flight, starting the next
// item as soon as one finishes (a worker pool, not fixed batches).

/** Calls `work` for every item, at most `limit` at a time; `work` must not throw. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
