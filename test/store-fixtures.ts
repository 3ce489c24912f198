/**
 * Hand-made articles and results for the store contract and the query CLI tests: every span is
 * computed from the text it points into, so offsets are right by construction.
 */
import type { StoredArticleInput, WriteBatch } from '../src/store/store.js';
import type { Entity, EventActor, EventLocation, EventRecord, QuarantineItem } from '../src/types.js';

interface EventSpec {
  id: string;
  sentence: string;
  event_type: string;
  acled?: [string, string] | null;
  category?: EventRecord['category'];
  mode?: string | null;
  actor1?: EventActor | null;
  actor2?: EventActor | null;
  location?: EventLocation | null;
  date?: string | null;
  precision?: EventRecord['date_precision'];
  fatalities?: number | null;
  injured?: number | null;
  count?: number | null;
  sources?: EventRecord['sources'];
  claim?: EventRecord['claim'];
  claimed_by?: string | null;
  confidence?: number;
}

interface ArticleSpec {
  id: string;
  date: string;
  title: string | null;
  /** Sentences joined by a space form the text. */
  sentences: string[];
  /** Words of the text to mark as entities (first occurrence). */
  entities?: { text: string; kind: Entity['kind']; id?: string | null; name?: string; value?: string | number }[];
  events?: EventSpec[];
  rawText?: string;
  source?: string | null;
  url?: string | null;
}

function spanOf(text: string, part: string): { start: number; end: number } {
  const start = text.indexOf(part);
  if (start < 0) throw new Error(`fixture: "${part}" is not in the text`);
  return { start, end: start + part.length };
}

/** Builds an article and its result from a compact description. */
export function makeArticle(spec: ArticleSpec): StoredArticleInput {
  const text = spec.sentences.join(' ');
  const entities: Entity[] = (spec.entities ?? []).map((e) => {
    const ent: Entity = { text: e.text, ...spanOf(text, e.text), kind: e.kind, id: e.id ?? null };
    if (e.name !== undefined) ent.name = e.name;
    if (e.value !== undefined) ent.value = e.value;
    return ent;
  });
  const events: EventRecord[] = (spec.events ?? []).map((e) => ({
    event_id: e.id,
    article_id: spec.id,
    event_type: e.event_type,
    mode: e.mode ?? null,
    acled_event_type: e.acled?.[0] ?? null,
    acled_sub_event_type: e.acled?.[1] ?? null,
    category: e.category ?? null,
    actor1: e.actor1 ?? null,
    actor2: e.actor2 ?? null,
    location: e.location ?? null,
    date: e.date === undefined ? spec.date : e.date,
    date_precision: e.precision ?? 'day',
    fatalities: e.fatalities ?? null,
    injured: e.injured ?? null,
    count: e.count ?? null,
    sources: e.sources ?? [],
    claim: e.claim ?? 'reported',
    claimed_by: e.claimed_by ?? null,
    evidence: { ...spanOf(text, e.sentence), text: e.sentence },
    confidence: e.confidence ?? 0.7,
  }));
  return {
    article: {
      id: spec.id,
      date: spec.date,
      title: spec.title,
      rawText: spec.rawText ?? text,
      url: spec.url ?? null,
      source: spec.source ?? null,
      language: 'en',
      origin: { file: `fixtures/${spec.id}.txt`, line: null },
    },
    result: { article_id: spec.id, date: spec.date, title: spec.title, text, entities, events },
  };
}

const place = (name: string, cc: string, admin1: string, lat: number | null, lon: number | null, gid: number | null = null): EventLocation => ({
  name,
  text: name,
  geonames_id: gid,
  country_code: cc,
  admin1,
  admin2: null,
  lat,
  lon,
  geo_precision: 1,
});

const actor = (name: string, id: string | null, text: string, kind: string, country: string | null): EventActor => ({ name, id, text, kind, country });

/** Four articles, five events, in four countries (one event without a place or a date). */
export function sampleArticles(): StoredArticleInput[] {
  const dik = 'Security forces killed 12 militants in an overnight raid near Dera Ismail Khan, the provincial police chief said.';
  const mog1 = 'A car bomb exploded outside a hotel in Mogadishu on Wednesday, killing five people, police said.';
  const mog2 = 'Hundreds of protesters marched in Mogadishu on Thursday to demand better security.';
  const fiji = 'Police arrested 30 protesters on Taveuni island after a march against a logging permit turned violent.';
  const talks = 'Government negotiators and the rebel delegation signed a ceasefire agreement in Doha.';
  return [
    makeArticle({
      id: 'art-pk',
      date: '2024-03-14',
      title: 'Raid near Dera Ismail Khan',
      sentences: [dik, 'Two soldiers were wounded in the exchange of fire, he added.'],
      entities: [
        { text: 'Security forces', kind: 'actor', id: 'pak.security_forces', name: 'Pakistani security forces' },
        { text: '12', kind: 'quantity', value: 12 },
        { text: 'Dera Ismail Khan', kind: 'place', id: 'geonames:1180281', name: 'Dera Ismail Khan' },
      ],
      events: [
        {
          id: 'art-pk:e1',
          sentence: dik,
          event_type: 'ASSAULT',
          mode: 'small-arms',
          acled: ['Battles', 'Armed clash'],
          actor1: actor('Pakistani security forces', 'pak.security_forces', 'Security forces', 'military', 'PK'),
          actor2: actor('militants', null, 'militants', 'rebel', 'PK'),
          location: place('Dera Ismail Khan', 'PK', 'Khyber Pakhtunkhwa', 31.83, 70.9, 1180281),
          date: '2024-03-13',
          fatalities: 12,
          injured: 2,
          sources: [
            { name: 'provincial police chief', kind: 'official' },
            { name: 'intelligence reports', kind: 'anonymous' },
          ],
          confidence: 0.8,
        },
      ],
      source: 'Dawn',
      url: 'https://example.org/dik',
    }),
    makeArticle({
      id: 'art-so',
      date: '2024-03-21',
      title: 'Car bomb in Mogadishu; protesters demand security',
      sentences: [mog1, mog2],
      rawText: `  ${mog1}\n\n${mog2}  `,
      events: [
        {
          id: 'art-so:e1',
          sentence: mog1,
          event_type: 'ASSAULT',
          mode: 'bombing',
          acled: ['Explosions/Remote violence', 'Remote explosive/landmine/IED'],
          actor1: actor('al-Shabaab', 'som.al_shabaab', 'al-Shabaab', 'rebel', 'SO'),
          actor2: actor('civilians', null, 'people', 'civilians', 'SO'),
          location: place('Mogadishu', 'SO', 'Banaadir', 2.0469, 45.3182, 53654),
          date: '2024-03-20',
          fatalities: 5,
          sources: [{ name: 'police', kind: 'official' }],
          claim: 'alleged',
          confidence: 0.6,
        },
        {
          id: 'art-so:e2',
          sentence: mog2,
          event_type: 'PROTEST',
          mode: 'demonstrate',
          acled: ['Protests', 'Peaceful protest'],
          actor1: actor('Protesters (Somalia)', null, 'protesters', 'protesters', 'SO'),
          location: place('Mogadishu', 'SO', 'Banaadir', 2.0469, 45.3182, 53654),
          date: '2024-03-21',
          count: 300,
          confidence: 0.9,
        },
      ],
      source: 'Garowe Online',
    }),
    makeArticle({
      id: 'art-fj',
      date: '2024-04-02',
      title: null,
      sentences: [fiji],
      events: [
        {
          id: 'art-fj:e1',
          sentence: fiji,
          event_type: 'ARREST',
          acled: ['Riots', 'Violent demonstration'],
          actor1: actor('Police Forces of Fiji', 'fji.police', 'Police', 'police', 'FJ'),
          actor2: actor('Protesters (Fiji)', null, 'protesters', 'protesters', 'FJ'),
          // Taveuni lies across the antimeridian from Suva
          location: place('Taveuni', 'FJ', 'Northern', -16.85, -179.95),
          count: 30,
          confidence: 0.75,
        },
      ],
    }),
    makeArticle({
      id: 'art-qa',
      date: '2024-02-01',
      title: 'Ceasefire signed',
      sentences: [talks],
      events: [
        {
          id: 'art-qa:e1',
          sentence: talks,
          event_type: 'AGREE',
          category: 'DIPLO',
          acled: null,
          actor1: actor('Government negotiators', null, 'Government negotiators', 'government', null),
          actor2: actor('rebel delegation', null, 'the rebel delegation', 'rebel', null),
          location: null,
          date: null,
          precision: 'month',
          confidence: 0.5,
        },
      ],
    }),
  ];
}

export function sampleQuarantine(): QuarantineItem[] {
  return [
    { file: 'bad/no-date.txt', line: 1, code: 'E_INGEST_DATE', reason: 'the first line has no "date YYYY-MM-DD"', excerpt: 'Gunmen attacked, "reportedly", a market', article_id: null },
    { file: 'bad/feed.jsonl', line: 7, code: 'E_INGEST_JSON', reason: 'line 7 is not valid JSON', excerpt: '{"text": "unterminated', article_id: null },
  ];
}

export function sampleBatch(): WriteBatch {
  return { articles: sampleArticles(), quarantine: sampleQuarantine() };
}
