/** Durations as people type them for the simulated clock: `7d`, `90s`, `1h30m`, `500ms`, `2w`. Pure. */
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds in `text`, or undefined when it is not a sequence of NUMBER+UNIT (ms, s, m, h, d, w). */
export const parseDuration = (text: string): number | undefined => {
  const t = text.trim();
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h|d|w))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(total);
};
