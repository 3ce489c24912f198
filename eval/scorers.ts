/**
 * The scorecard's measures, kept free of I/O so they can be checked on hand-made gold/prediction
 * pairs: distance accuracy for geoparsing, exact span matching, and per-label classification F1.
 */

/** Mean Earth radius in km (the value the geoparsing literature uses with the haversine formula). */
export const EARTH_RADIUS_KM = 6371.0088;

/** The standard geoparsing threshold: 161 km, i.e. 100 miles. */
export const ACC_KM = 161;

/**
 * A prediction counts as correct when its distance to the gold point is at most 161 km, inclusive.
 * The tolerance (one millimetre) only absorbs floating-point error in the haversine formula, so a
 * point placed exactly 161 km away counts as correct.
 */
const DISTANCE_TOLERANCE_KM = 1e-6;

/**
 * Great-circle distance in km.
 * @example haversineKm(0, 0, 0, 1) // ≈ 111.195
 */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** True when the distance is within `km` (inclusive). */
export function withinKm(distanceKm: number, km: number = ACC_KM): boolean {
  return distanceKm <= km + DISTANCE_TOLERANCE_KM;
}

export interface GoldPoint {
  lat: number;
  lon: number;
  /** GeoNames id when the corpus gives one. */
  geonameid?: number | null;
}

export interface PredictedPoint {
  lat: number | null;
  lon: number | null;
  geonames_id: number | null;
}

export interface ResolutionScore {
  /** Gold toponyms scored. */
  n: number;
  /** Share of gold toponyms whose predicted point lies within 161 km (no prediction counts as wrong). */
  accAt161: number;
  /** Share of gold toponyms that got any point at all. */
  resolved: number;
  /** Median error in km over the resolved ones (null when none). */
  medianKm: number | null;
  /** Gold toponyms that carry a GeoNames id. */
  idN: number;
  /** Share of those whose predicted GeoNames id is the same (null when idN is 0). */
  idExact: number | null;
}

/**
 * Scores resolution given gold spans: one prediction (or null) per gold toponym.
 * @example scoreResolution([{ gold: { lat: 0, lon: 0 }, pred: { lat: 0, lon: 1, geonames_id: null } }]).accAt161 // 1
 */
export function scoreResolution(pairs: readonly { gold: GoldPoint; pred: PredictedPoint | null }[]): ResolutionScore {
  let within = 0;
  let resolved = 0;
  let idN = 0;
  let idHit = 0;
  const distances: number[] = [];
  for (const { gold, pred } of pairs) {
    const hasId = gold.geonameid !== undefined && gold.geonameid !== null;
    if (hasId) idN++;
    if (pred === null) continue;
    if (hasId && pred.geonames_id !== null && pred.geonames_id === gold.geonameid) idHit++;
    if (pred.lat === null || pred.lon === null) continue;
    resolved++;
    const d = haversineKm(gold.lat, gold.lon, pred.lat, pred.lon);
    distances.push(d);
    if (withinKm(d)) within++;
  }
  const n = pairs.length;
  return {
    n,
    accAt161: ratio(within, n),
    resolved: ratio(resolved, n),
    medianKm: median(distances),
    idN,
    idExact: idN === 0 ? null : idHit / idN,
  };
}

export interface SpanLike {
  start: number;
  end: number;
}

export interface SpanMatch {
  tp: number;
  fp: number;
  fn: number;
  /** [gold index, predicted index] for every exact match. */
  pairs: [number, number][];
}

/**
 * Exact span matching: a prediction is a true positive when its start and end both equal a gold
 * span's (each gold span matches at most once). Unmatched predictions are false positives,
 * unmatched gold spans false negatives.
 * @example matchSpans([{ start: 0, end: 5 }], [{ start: 0, end: 5 }, { start: 9, end: 12 }]) // { tp: 1, fp: 1, fn: 0, ... }
 */
export function matchSpans(gold: readonly SpanLike[], pred: readonly SpanLike[]): SpanMatch {
  const byKey = new Map<string, number[]>();
  gold.forEach((g, i) => {
    const key = `${g.start}:${g.end}`;
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  });
  const pairs: [number, number][] = [];
  pred.forEach((p, j) => {
    const list = byKey.get(`${p.start}:${p.end}`);
    const i = list?.shift();
    if (i !== undefined) pairs.push([i, j]);
  });
  return { tp: pairs.length, fp: pred.length - pairs.length, fn: gold.length - pairs.length, pairs };
}

export interface PRF {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Precision, recall and F1 from counts; 0 where a denominator is 0.
 * @example prf(1, 1, 0) // { precision: 0.5, recall: 1, f1: 0.667 }
 */
export function prf(tp: number, fp: number, fn: number): PRF {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

export interface LabelScore extends PRF {
  label: string;
  /** Gold items with this label. */
  support: number;
  /** Items predicted with this label. */
  predicted: number;
  tp: number;
}

export interface ClassificationReport {
  n: number;
  accuracy: number;
  /** Mean of per-label F1 weighted by support (CASE's standard measure). */
  weightedF1: number;
  /** Unweighted mean of per-label F1 over every label in the label set (a never-predicted label scores 0). */
  macroF1: number;
  perLabel: LabelScore[];
  /** Counts of (gold, predicted) pairs that disagree, most frequent first; predicted null is "none". */
  confusions: { gold: string; predicted: string; count: number }[];
}

/** The label shown for an item the system gave no label. */
export const NO_LABEL = '(none)';

/**
 * Per-label and averaged F1 over a fixed label set. A null prediction (no label) is wrong for its gold
 * label and a false positive for no label. Predictions outside the label set count as wrong too.
 * @example classify(['A', 'B'], ['A', null], ['A', 'B']).macroF1 // 0.5
 */
export function classify(gold: readonly string[], pred: readonly (string | null)[], labels: readonly string[]): ClassificationReport {
  if (gold.length !== pred.length) throw new Error(`classify: ${gold.length} gold labels but ${pred.length} predictions`);
  const index = new Map(labels.map((l, i) => [l, i]));
  const support = new Array<number>(labels.length).fill(0);
  const predicted = new Array<number>(labels.length).fill(0);
  const tp = new Array<number>(labels.length).fill(0);
  const confusion = new Map<string, number>();
  let correct = 0;
  for (let k = 0; k < gold.length; k++) {
    const g = gold[k]!;
    const p = pred[k] ?? null;
    const gi = index.get(g);
    if (gi !== undefined) support[gi]!++;
    const pi = p === null ? undefined : index.get(p);
    if (pi !== undefined) predicted[pi]!++;
    if (p === g) {
      correct++;
      if (gi !== undefined) tp[gi]!++;
    } else {
      const key = `${g}\u0000${p ?? NO_LABEL}`;
      confusion.set(key, (confusion.get(key) ?? 0) + 1);
    }
  }
  const perLabel: LabelScore[] = labels.map((label, i) => ({
    label,
    support: support[i]!,
    predicted: predicted[i]!,
    tp: tp[i]!,
    ...prf(tp[i]!, predicted[i]! - tp[i]!, support[i]! - tp[i]!),
  }));
  const totalSupport = support.reduce((a, b) => a + b, 0);
  const weightedF1 = totalSupport === 0 ? 0 : perLabel.reduce((s, l) => s + l.f1 * l.support, 0) / totalSupport;
  const macroF1 = labels.length === 0 ? 0 : perLabel.reduce((s, l) => s + l.f1, 0) / labels.length;
  const confusions = [...confusion.entries()]
    .map(([key, count]) => {
      const [g, p] = key.split('\u0000') as [string, string];
      return { gold: g, predicted: p, count };
    })
    .sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold) || a.predicted.localeCompare(b.predicted));
  return { n: gold.length, accuracy: ratio(correct, gold.length), weightedF1, macroF1, perLabel, confusions };
}

/**
 * The labels with the lowest F1 among those present in the gold, each with its most frequent wrong
 * prediction, for the scorecard's confusion summary.
 */
export function worstLabels(report: ClassificationReport, k: number): { label: string; f1: number; support: number; mostlyPredictedAs: string | null }[] {
  return report.perLabel
    .filter((l) => l.support > 0)
    .sort((a, b) => a.f1 - b.f1 || b.support - a.support || a.label.localeCompare(b.label))
    .slice(0, k)
    .map((l) => ({
      label: l.label,
      f1: l.f1,
      support: l.support,
      mostlyPredictedAs: report.confusions.find((c) => c.gold === l.label)?.predicted ?? null,
    }));
}

/**
 * Loose text match for actor and place names: equal after lower-casing and folding spaces, or one
 * contains the other on word boundaries ("Tom King" within "British Defence Secretary Tom King").
 * @example textMatches('the Jordanian army', 'Jordanian army') // true
 */
export function textMatches(a: string, b: string): boolean {
  const x = foldText(a);
  const y = foldText(b);
  if (x === '' || y === '') return false;
  if (x === y) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return ` ${long} `.includes(` ${short} `);
}

function foldText(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^(?:the|a|an) /, '');
}

/** num / den, 0 when den is 0. */
export function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Converts code-point offsets (Python string indices, as the corpora give them) to UTF-16 offsets
 * (JavaScript string indices) for one text.
 * @example codePointOffsets('a😀b')(2) // 3
 */
export function codePointOffsets(text: string): (cp: number) => number {
  const table: number[] = [0];
  let u = 0;
  for (const ch of text) {
    u += ch.length;
    table.push(u);
  }
  return (cp: number) => {
    const v = table[cp];
    if (v === undefined) throw new RangeError(`code-point offset ${cp} is outside a text of ${table.length - 1} code points`);
    return v;
  };
}
