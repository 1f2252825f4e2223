/**
 * Run `run` for every topic: all at once (the default), or one after the other when `parallel` is
 * false; resolves with the results in topic order. What every `multi*` method does.
 */
export async function forEachTopic<T>(
  topics: readonly string[],
  parallel: boolean | undefined,
  run: (topic: string) => Promise<T>,
): Promise<T[]> {
  if (parallel !== false) return Promise.all(topics.map(run));
  const results: T[] = [];
  for (const topic of topics) results.push(await run(topic));
  return results;
}
