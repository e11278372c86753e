/** The most runs executing at one moment, from their start and end times: a sweep over the edges. */
export function mostAtOnce(rows: readonly { start_time: string; end_time: string }[]): number {
  const edges = rows.flatMap((row): [number, number][] => [
    [Date.parse(row.start_time), 1],
    [Date.parse(row.end_time), -1],
  ]);
  // An end before a start at the same millisecond: runs that touch are not at once.
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let running = 0;
  let most = 0;
  for (const [, change] of edges) most = Math.max(most, (running += change));
  return most;
}
