// In a file of its own (no cron or RRULE library) because the language server's hover text uses it
// without loading the analysis.
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * Seconds of an interval given as seconds or as a duration ("90s", "15m", "2h", "1h30m", "1d"), at
 * least one second; undefined when it is not one. The same grammar as the runtime's `parseInterval`.
 */
export function parseIntervalSeconds(interval: number | string): number | undefined {
  if (typeof interval === "number") return Number.isFinite(interval) && interval >= 1 ? interval : undefined;
  const text = interval.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseIntervalSeconds(Number(text));
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*([smhdw])/gi)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("").replace(/\s/g, "") !== text.replace(/\s/g, "")) return undefined;
  return parseIntervalSeconds(parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]!.toLowerCase()]!, 0));
}
