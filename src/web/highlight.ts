/**
 * Highlighting without markup: overlapping spans over a text become flat segments, each with the spans
 * that cover it, so the page can build one text node per segment (never HTML from article text).
 */

/** A span to highlight: [start, end) offsets into the text, with the CSS class it gets. */
export interface Mark {
  start: number;
  end: number;
  className: string;
  /** Shown on hover and read by screen readers ("actor: Taliban"). */
  label?: string;
  /** The actor id or name to open when the span is clicked. */
  actor?: string;
}

export interface Segment {
  start: number;
  end: number;
  /** The marks covering the whole segment, outermost (longest) first. */
  marks: Mark[];
}

/**
 * Cuts [0, length) at every mark boundary; marks outside the text are clipped, empty ones dropped.
 * @example segment(10, [{ start: 2, end: 6, className: 'a' }, { start: 4, end: 8, className: 'b' }]).map((s) => [s.start, s.end, s.marks.length])
 * // [[0, 2, 0], [2, 4, 1], [4, 6, 2], [6, 8, 1], [8, 10, 0]]
 */
export function segment(length: number, marks: readonly Mark[]): Segment[] {
  const valid = marks
    .map((m) => ({ ...m, start: Math.max(0, Math.min(length, Math.floor(m.start))), end: Math.max(0, Math.min(length, Math.floor(m.end))) }))
    .filter((m) => m.end > m.start);
  const cuts = new Set<number>([0, length]);
  for (const m of valid) {
    cuts.add(m.start);
    cuts.add(m.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const byStart = [...valid].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (end <= start) continue;
    const covering = byStart.filter((m) => m.start <= start && m.end >= end);
    out.push({ start, end, marks: covering });
  }
  return out;
}
