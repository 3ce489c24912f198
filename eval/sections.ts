/**
 * The scorecard's sections: each takes an adapter (eval/adapters.ts) and the records of one corpus
 * and returns its metrics; the CLI (eval/run.ts) only reads options, prints and writes.
 */
import countries from 'i18n-iso-countries';
import type { Span } from '../src/types.js';
import { actorAdapter, eventAdapter, geoAdapter, pipelineAdapter, type ActorAdapter, type Availability, type EventAdapter, type GeoAdapter, type PipelineAdapter } from './adapters.js';
import {
  CASE_FILE,
  CASE_LABELS,
  GEO_FILES,
  PLOVER_FILE,
  PLOVER_TYPES,
  dataFile,
  isPlaceToponym,
  readCase,
  readGeoDocs,
  readPlover,
  toCaseLabel,
  toPloverType,
  type CaseRecord,
  type GeoDoc,
  type PloverActor,
  type PloverRecord,
} from './data.js';
import { CORPUS_CONVENTIONS, detectOptions, type GeoConvention } from './geo-conventions.js';
import type { EvalResult, Metrics, SectionResult } from './report.js';
import { classify, codePointOffsets, matchSpans, prf, ratio, scoreResolution, textMatches, worstLabels, type PredictedPoint } from './scorers.js';

const PLOVER_DATE = '2000-01-01';

/** Every adapter, loaded once (each either available or with the reason it is not). */
export interface Adapters {
  geo: Availability<GeoAdapter>;
  events: Availability<EventAdapter>;
  actors: Availability<ActorAdapter>;
  pipeline: Availability<PipelineAdapter>;
}

export async function loadAdapters(): Promise<Adapters> {
  return { geo: await geoAdapter(), events: await eventAdapter(), actors: await actorAdapter(), pipeline: await pipelineAdapter() };
}

/** Scores every section on the corpora in dataDir (the first `limit` records of each when given). */
export async function scoreAll(dataDir: string, limit: number | undefined, commit: string | null, adapters: Adapters): Promise<EvalResult> {
  const take = <T>(xs: T[]): T[] => (limit === undefined ? xs : xs.slice(0, limit));
  const sections: SectionResult[] = [];
  const { geo, events } = adapters;
  for (const [corpus, file] of Object.entries(GEO_FILES)) {
    const path = dataFile(dataDir, file);
    const docs = path ? take(readGeoDocs(path)) : null;
    sections.push(await section(`geo.${corpus}.resolution`, geo, docs, file, (g, d) => geoResolution(g, d)));
    // Detection is scored under the corpus's own annotation convention (eval/geo-conventions.ts).
    const convention = CORPUS_CONVENTIONS[corpus as keyof typeof GEO_FILES];
    sections.push(await section(`geo.${corpus}.end_to_end`, geo, docs, file, (g, d) => geoEndToEnd(g, d, convention)));
  }
  const caseFile = dataFile(dataDir, CASE_FILE);
  sections.push(await section('events.case2021', events, caseFile ? take(readCase(caseFile)) : null, CASE_FILE, caseTyping));
  const ploverFile = dataFile(dataDir, PLOVER_FILE);
  const plover = ploverFile ? take(readPlover(ploverFile)) : null;
  sections.push(...(await ploverSections(plover, adapters)));
  return { kind: 'khabar-eval', version: 1, created: new Date().toISOString(), commit, dataDir, sections };
}

/** CASE 2021 event typing: weighted and macro F1 over the 30 labels. */
export function caseTyping(ev: EventAdapter, records: CaseRecord[]): Scored {
  const gold = records.map((r) => r.event_type);
  const pred = records.map((r) => {
    const t = ev.classify(r.text);
    return t ? toCaseLabel(t) : null;
  });
  const report = classify(gold, pred, Object.keys(CASE_LABELS));
  return {
    n: records.length,
    method: 'classifyText on each snippet; category first, else ACLED sub-event type',
    metrics: { weighted_f1: report.weightedF1, macro_f1: report.macroF1, accuracy: report.accuracy, no_label: ratio(pred.filter((p) => p === null).length, pred.length) },
    details: { worst: worstLabels(report, 8), confusions: report.confusions.slice(0, 15), perLabel: report.perLabel },
  };
}

export type Scored = Pick<SectionResult, 'n' | 'metrics' | 'method' | 'details'>;

/** Runs one section: "not available" when its module or its data is missing, "error" when it throws. */
export async function section<A, D>(name: string, adapter: Availability<A>, data: D | null, file: string, score: (a: A, d: D) => Scored | Promise<Scored>): Promise<SectionResult> {
  const t0 = performance.now();
  const seconds = (): number => (performance.now() - t0) / 1000;
  if (!adapter.ok) return { name, status: adapter.missing ? 'not available' : 'error', reason: adapter.reason, n: 0, metrics: {}, seconds: 0 };
  if (data === null) return { name, status: 'not available', reason: `${file} not in the data folder`, n: 0, metrics: {}, seconds: 0 };
  try {
    const s = await score(adapter.value, data);
    return { name, status: 'ok', ...s, seconds: seconds() };
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    return { name, status: 'error', reason, n: 0, metrics: {}, seconds: seconds() };
  }
}

/** Gold place spans of a document in UTF-16 offsets, with their gold points. */
function goldPlaces(doc: GeoDoc): { span: Span; lat: number; lon: number; geonameid: number | null }[] {
  const toU16 = codePointOffsets(doc.text);
  return doc.toponyms.filter(isPlaceToponym).map((t) => ({
    span: { start: toU16(t.start), end: toU16(t.end) },
    lat: t.lat,
    lon: t.lon,
    geonameid: t.geonameid ?? null,
  }));
}

/** Resolution alone, given the gold place spans. */
export function geoResolution(geo: GeoAdapter, docs: GeoDoc[]): Scored {
  const pairs: { gold: { lat: number; lon: number; geonameid: number | null }; pred: PredictedPoint | null }[] = [];
  for (const doc of docs) {
    const gold = goldPlaces(doc);
    if (gold.length === 0) continue;
    const preds = geo.resolveSpans(doc.text, gold.map((g) => g.span));
    gold.forEach((g, i) => pairs.push({ gold: g, pred: preds[i] ?? null }));
  }
  const s = scoreResolution(pairs);
  return {
    n: s.n,
    method: 'given the gold place spans (resolution alone)',
    metrics: { acc_at_161: s.accAt161, geonames_id_exact: s.idExact, resolved: s.resolved, median_error_km: s.medianKm },
    details: { goldWithGeonamesId: s.idN },
  };
}

/**
 * Detection + resolution: exact-span P/R/F1 and acc@161 on the detected spans that match gold.
 * With a convention, the geoparser runs with that convention's options (nationality adjectives
 * count as toponyms where the corpus labels them so); without one, demonyms are left out.
 */
export function geoEndToEnd(geo: GeoAdapter, docs: GeoDoc[], convention?: GeoConvention): Scored {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const pairs: { gold: { lat: number; lon: number }; pred: PredictedPoint | null }[] = [];
  for (const doc of docs) {
    const gold = goldPlaces(doc);
    const pred = convention ? geo.detect(doc.text, detectOptions(convention)) : geo.detect(doc.text).filter((p) => !p.demonym);
    const m = matchSpans(gold.map((g) => g.span), pred);
    tp += m.tp;
    fp += m.fp;
    fn += m.fn;
    for (const [gi, pi] of m.pairs) pairs.push({ gold: gold[gi]!, pred: pred[pi] ?? null });
  }
  const d = prf(tp, fp, fn);
  const r = scoreResolution(pairs);
  return {
    n: tp + fn,
    method: `detection + resolution; exact span match; acc@161 over detected spans that match gold${convention ? `; ${convention.name}` : '; demonyms left out'}`,
    metrics: { span_precision: d.precision, span_recall: d.recall, span_f1: d.f1, acc_at_161_matched: pairs.length ? r.accAt161 : null },
    details: convention ? { tp, fp, fn, note: convention.note } : { tp, fp, fn },
  };
}

/** ISO 3166 alpha-2 for a PLOVER/CAMEO actor code when it is a country code ("JOR" → "JO"), else null. */
function countryOfCode(code: string | null | undefined): string | null {
  if (!code || code.length < 3) return null;
  return countries.alpha3ToAlpha2(code.slice(0, 3).toUpperCase()) ?? null;
}

/** CAMEO sector codes and the Khabar actor kinds that correspond to them (the comparable ones only). */
const SECTOR_KINDS: Readonly<Record<string, readonly string[]>> = {
  GOV: ['government', 'state'],
  MIL: ['military', 'security'],
  COP: ['police', 'security'],
  SPY: ['intelligence'],
  REB: ['rebel', 'insurgent', 'militia', 'terrorist'],
  UAF: ['militia', 'rebel', 'insurgent'],
  OPP: ['party'],
  PTY: ['party'],
  CVL: ['civilians', 'person'],
  REF: ['civilians'],
  MED: ['media'],
  JRN: ['media', 'person'],
  BUS: ['company'],
  IGO: ['igo'],
  NGO: ['ngo'],
};

/**
 * The actor kinds a gold PLOVER actor's sector allows, or null when it has no comparable sector.
 * The sector comes from the `sector` field, else from the code after a country ("IRQMIL" → MIL), or
 * the code itself for IGO/NGO.
 */
export function sectorKinds(g: PloverActor): readonly string[] | null {
  const code = (g.code ?? '').toUpperCase();
  const sector = (g.sector ?? (code.length >= 6 ? code.slice(3, 6) : code)).slice(0, 3).toUpperCase();
  return SECTOR_KINDS[sector] ?? null;
}

interface PredActor {
  text: string;
  name: string;
  country: string | null;
  kind: string;
}

interface SideScore {
  text: boolean;
  /** null when no gold actor of the side has a country code. */
  code: boolean | null;
  /** null when no gold actor of the side has a comparable sector. */
  sector: boolean | null;
}

/** One gold side (sources or targets) against one predicted actor: text, country code and sector. */
function actorSide(gold: PloverActor[], pred: PredActor | null): SideScore {
  const textHit = pred !== null && gold.some((g) => textMatches(g.actorText, pred.text) || textMatches(g.actorText, pred.name));
  const codes = gold.map((g) => countryOfCode(g.code)).filter((c): c is string => c !== null);
  const kinds = gold.map(sectorKinds).filter((k): k is readonly string[] => k !== null);
  return {
    text: textHit,
    code: codes.length === 0 ? null : pred !== null && pred.country !== null && codes.includes(pred.country.toUpperCase()),
    sector: kinds.length === 0 ? null : pred !== null && kinds.some((k) => k.includes(pred.kind)),
  };
}

/** PLOVER: event type after the label mapping, actor1/actor2 and location agreement. */
export async function ploverSections(records: PloverRecord[] | null, adapters: Adapters): Promise<SectionResult[]> {
  const { pipeline: pipe, events, actors, geo } = adapters;
  const out: SectionResult[] = [];
  const usePipeline = pipe.ok && pipe.value.hasEvents;

  // Event type: the pipeline's first event when the pipeline produces events, else the detector.
  const typing: Availability<(text: string, id: string) => string | null> = usePipeline
    ? { ok: true, loadMs: 0, value: (text, id) => pipe.value.extract(text, PLOVER_DATE, id).events[0]?.event_type ?? null }
    : events.ok
      ? { ok: true, loadMs: 0, value: (text) => events.value.classify(text)?.event_type ?? null }
      : { ok: false, reason: `${events.reason}; and the pipeline has no event stage yet`, missing: events.missing };
  out.push(await section('events.plover.type', typing, records, PLOVER_FILE, (typeOf, recs) => {
    const gold = recs.map((r) => toPloverType(r.event_type));
    const pred = recs.map((r) => {
      const t = typeOf(r.text, r.id);
      return t === null ? null : toPloverType(t);
    });
    const report = classify(gold, pred, [...PLOVER_TYPES]);
    return {
      n: recs.length,
      method: usePipeline ? 'pipeline first event' : 'classifyText',
      metrics: { accuracy: report.accuracy, macro_f1: report.macroF1, no_label: ratio(pred.filter((p) => p === null).length, pred.length) },
      details: { worst: worstLabels(report, 6), confusions: report.confusions.slice(0, 10) },
    };
  }));

  // Actors: actor1/actor2 of the first event against gold sources/targets; else any resolved mention.
  if (usePipeline) {
    out.push(await section('events.plover.actors', pipe, records, PLOVER_FILE, (p, recs) => {
      const c = {
        a1: 0, a1n: 0, a1code: 0, a1coden: 0, a1sector: 0, a1sectorn: 0,
        a2: 0, a2n: 0, a2code: 0, a2coden: 0, a2sector: 0, a2sectorn: 0,
        loc: 0, locn: 0, loccc: 0, locccn: 0,
      };
      for (const r of recs) {
        const ev = p.extract(r.text, PLOVER_DATE, r.id).events[0] ?? null;
        const sides: [PloverActor[], PredActor | null, 'a1' | 'a2'][] = [
          [r.source_actors, ev?.actor1 ?? null, 'a1'],
          [r.target_actors, ev?.actor2 ?? null, 'a2'],
        ];
        for (const [gold, pred, key] of sides) {
          if (gold.length === 0) continue;
          const s = actorSide(gold, pred);
          c[`${key}n`]++;
          if (s.text) c[key]++;
          if (s.code !== null) {
            c[`${key}coden`]++;
            if (s.code) c[`${key}code`]++;
          }
          if (s.sector !== null) {
            c[`${key}sectorn`]++;
            if (s.sector) c[`${key}sector`]++;
          }
        }
        if (r.event_location) {
          c.locn++;
          const loc = ev?.location ?? null;
          if (loc && (textMatches(r.event_location.name, loc.name) || textMatches(r.event_location.name, loc.text))) c.loc++;
          const cc = r.event_location['country code'];
          if (typeof cc === 'string') {
            c.locccn++;
            if (loc?.country_code?.toUpperCase() === cc.toUpperCase()) c.loccc++;
          }
        }
      }
      const metrics: Metrics = {
        actor1_text: c.a1n ? c.a1 / c.a1n : null,
        actor1_code: c.a1coden ? c.a1code / c.a1coden : null,
        actor1_sector: c.a1sectorn ? c.a1sector / c.a1sectorn : null,
        actor2_text: c.a2n ? c.a2 / c.a2n : null,
        actor2_code: c.a2coden ? c.a2code / c.a2coden : null,
        actor2_sector: c.a2sectorn ? c.a2sector / c.a2sectorn : null,
        location_name: c.locn ? c.loc / c.locn : null,
        location_country: c.locccn ? c.loccc / c.locccn : null,
      };
      return { n: recs.length, method: 'pipeline first event: actor1 vs gold sources, actor2 vs gold targets', metrics, details: c };
    }));
  } else {
    out.push(await section('events.plover.actors', actors, records, PLOVER_FILE, (a, recs) => {
      let goldN = 0;
      let found = 0;
      let codeN = 0;
      let codeHit = 0;
      let sectorN = 0;
      let sectorHit = 0;
      for (const r of recs) {
        const mentions = a.resolve(r.text, PLOVER_DATE);
        for (const g of [...r.source_actors, ...r.target_actors]) {
          goldN++;
          const hits = mentions.filter((m) => textMatches(g.actorText, m.text));
          if (hits.length > 0) found++;
          const cc = countryOfCode(g.code);
          if (cc !== null) {
            codeN++;
            if (hits.some((m) => m.country?.toUpperCase() === cc)) codeHit++;
          }
          const kinds = sectorKinds(g);
          if (kinds !== null) {
            sectorN++;
            if (hits.some((m) => kinds.includes(m.kind))) sectorHit++;
          }
        }
      }
      return {
        n: goldN,
        method: 'no event stage yet: gold actors found among resolved actor mentions',
        metrics: { gold_actor_found: ratio(found, goldN), gold_actor_country: codeN ? codeHit / codeN : null, gold_actor_sector: sectorN ? sectorHit / sectorN : null },
        details: { goldActors: goldN, withCountryCode: codeN, withSector: sectorN },
      };
    }));
    out.push(await section('events.plover.location', geo, records, PLOVER_FILE, (g, recs) => {
      const withLoc = recs.filter((r) => r.event_location !== null);
      let hit = 0;
      for (const r of withLoc) if (g.detect(r.text).some((p) => textMatches(r.event_location!.name, p.text) || textMatches(r.event_location!.name, p.name))) hit++;
      return { n: withLoc.length, method: 'no event stage yet: gold event location among detected places', metrics: { gold_location_found: ratio(hit, withLoc.length) } };
    }));
  }
  return out;
}

