/**
 * The OpenAPI 3.1 description of the API, served at /openapi.json. Written by hand to match app.ts;
 * the API tests check that every route is described and every described path answers.
 */

type Json = Record<string, unknown>;

const str = (description: string, extra: Json = {}): Json => ({ type: 'string', description, ...extra });
const q = (name: string, description: string, schema: Json = { type: 'string' }, extra: Json = {}): Json => ({ name, in: 'query', description, schema, ...extra });
const many = (name: string, description: string): Json => q(name, `${description} Repeat the parameter or separate values with commas.`, { type: 'array', items: { type: 'string' } }, { style: 'form', explode: true });

const FILTER_PARAMETERS: Json[] = [
  q('from', 'Events on or after this day.', { type: 'string', format: 'date' }),
  q('to', 'Events on or before this day.', { type: 'string', format: 'date' }),
  many('country', 'ISO 3166-1 alpha-2 code(s) of the event location.'),
  q('admin1', 'First-level administrative division of the location (case-insensitive equality).'),
  q('actor', 'Case-insensitive substring of either actor\'s name, id or words in the article.'),
  many('type', 'PLOVER type, ACLED event type, ACLED sub-event type or category (any of).'),
  many('plover', 'PLOVER event type(s), e.g. ASSAULT (matched like type).'),
  many('acled', 'ACLED event or sub-event type(s), e.g. "Battles" (matched like type).'),
  q('q', 'Full-text query over the event\'s article: words (all required), "phrases", OR, -excluded, prefix*.'),
  q('bbox', 'Bounding box west,south,east,north in degrees (west > east crosses the antimeridian).', { type: 'string', pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$' }),
  q('near', 'Centre lat,lon in degrees, with km.', { type: 'string' }),
  q('km', 'Radius in kilometres around near.', { type: 'number', exclusiveMinimum: 0, maximum: 20100 }),
  q('min_sources', 'At least this many independent sources (an event not linked across articles counts 1).', { type: 'integer', minimum: 1 }),
  q('min_confidence', 'Confidence at least this (0..1).', { type: 'number', minimum: 0, maximum: 1 }),
  q('article', 'Only the events of this article id.'),
];

const SORT = q('sort', 'Order; ties broken by event id.', { type: 'string', enum: ['date_desc', 'date_asc', 'fatalities_desc', 'confidence_desc'], default: 'date_desc' });

const errorResponse = (description: string): Json => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const ok = (description: string, schema: Json, type = 'application/json'): Json => ({ description, content: { [type]: { schema } } });
const ERRORS = { '400': errorResponse('Invalid parameters (code E_VALIDATION).'), '500': errorResponse('Internal error.') };
const NOT_FOUND = { '404': errorResponse('Not found (code E_NOT_FOUND).') };
const idParam = (name: string, description: string): Json => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

/** The OpenAPI 3.1 document. */
export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Khabar API',
      version: '0.1.0',
      description: 'Conflict events extracted from news articles, every field traceable to character offsets in its article. Read-only unless the server was started with a token; then POST /api/articles ingests.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: str('Stable error code, e.g. E_VALIDATION.'), message: str('What is wrong and what to do.') } } },
        },
        Span: { type: 'object', required: ['start', 'end'], properties: { start: { type: 'integer' }, end: { type: 'integer' } } },
        Evidence: { allOf: [{ $ref: '#/components/schemas/Span' }, { type: 'object', properties: { text: { type: 'string' } } }] },
        Actor: {
          type: ['object', 'null'],
          properties: { name: { type: 'string' }, id: { type: ['string', 'null'] }, text: { type: 'string' }, kind: { type: 'string' }, country: { type: ['string', 'null'] } },
        },
        Location: {
          type: ['object', 'null'],
          properties: {
            name: { type: 'string' }, text: { type: 'string' }, geonames_id: { type: ['integer', 'null'] }, country_code: { type: ['string', 'null'] },
            admin1: { type: ['string', 'null'] }, admin2: { type: ['string', 'null'] }, lat: { type: ['number', 'null'] }, lon: { type: ['number', 'null'] },
            geo_precision: { enum: [1, 2, 3] },
          },
        },
        Event: {
          type: 'object',
          required: ['event_id', 'article_id', 'event_type', 'evidence', 'confidence'],
          properties: {
            event_id: { type: 'string' }, article_id: { type: 'string' }, event_type: str('PLOVER type.'), mode: { type: ['string', 'null'] },
            acled_event_type: { type: ['string', 'null'] }, acled_sub_event_type: { type: ['string', 'null'] }, category: { type: ['string', 'null'] },
            actor1: { $ref: '#/components/schemas/Actor' }, actor2: { $ref: '#/components/schemas/Actor' }, location: { $ref: '#/components/schemas/Location' },
            date: { type: ['string', 'null'], format: 'date' }, date_precision: { enum: ['day', 'week', 'month', 'year'] },
            fatalities: { type: ['integer', 'null'] }, injured: { type: ['integer', 'null'] }, count: { type: ['integer', 'null'] },
            sources: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, kind: { type: 'string' } } } },
            claim: { type: ['string', 'null'] }, claimed_by: { type: ['string', 'null'] },
            evidence: { $ref: '#/components/schemas/Evidence' }, evidence_all: { type: 'array', items: { $ref: '#/components/schemas/Evidence' } },
            trigger: { oneOf: [{ $ref: '#/components/schemas/Evidence' }, { type: 'null' }] }, confidence: { type: 'number' },
            reports: { type: 'integer' }, independent_sources: { type: 'integer' },
          },
        },
        ArticleRecord: {
          type: 'object',
          required: ['date', 'text'],
          properties: { date: { type: 'string', format: 'date' }, text: { type: 'string' }, id: { type: ['string', 'integer', 'null'] }, title: { type: ['string', 'null'] }, url: { type: ['string', 'null'] }, source: { type: ['string', 'null'] }, language: { type: ['string', 'null'] } },
        },
      },
    },
    paths: {
      '/api/health': { get: { summary: 'Liveness and what the store holds.', responses: { '200': ok('Healthy.', { type: 'object', properties: { status: { const: 'ok' }, dialect: { type: 'string' }, writable: { type: 'boolean' }, articles: { type: 'integer' }, events: { type: 'integer' } } }) } } },
      '/health': { get: { summary: 'Same as /api/health.', responses: { '200': ok('Healthy.', { type: 'object' }) } } },
      '/openapi.json': { get: { summary: 'This document.', responses: { '200': ok('OpenAPI 3.1.', { type: 'object' }) } } },
      '/api/stats': { get: { summary: 'Counts of what the store holds (by type, country, dates).', responses: { '200': ok('Counts.', { type: 'object' }), ...ERRORS } } },
      '/api/events': {
        get: {
          summary: 'Events matching a filter, one page at a time.',
          parameters: [...FILTER_PARAMETERS, q('limit', 'Page size 1..10000.', { type: 'integer', minimum: 1, maximum: 10000, default: 100 }), q('cursor', 'next_cursor of the previous page (same filter and sort).'), SORT],
          responses: {
            '200': ok('A page.', { type: 'object', properties: { total: { type: 'integer', description: 'All matching events.' }, events: { type: 'array', items: { $ref: '#/components/schemas/Event' } }, next_cursor: { type: ['string', 'null'] } } }),
            ...ERRORS,
          },
        },
      },
      '/api/events/{id}': {
        get: {
          summary: 'One event with its reports, evidence and attribution chain.',
          parameters: [idParam('id', 'Event id.')],
          responses: {
            '200': ok('The event.', {
              type: 'object',
              properties: {
                event: { $ref: '#/components/schemas/Event' },
                article: { type: ['object', 'null'] },
                reports: {
                  type: 'array',
                  description: 'Every article reporting the merged event, earliest first.',
                  items: {
                    type: 'object',
                    properties: {
                      id: str('Article id.'), date: { type: 'string' }, title: { type: ['string', 'null'] }, source: { type: ['string', 'null'] }, url: { type: ['string', 'null'] },
                      event_id: str('The event as this article reported it.'), evidence: { type: 'array', items: { $ref: '#/components/schemas/Evidence' } },
                      sources: { type: 'array' }, claim: { type: ['string', 'null'] },
                      origin: str('What the report rests on (outlet:NAME, actor:NAME, article:ID); equal origins are one independent source.'),
                      duplicate_of: { type: ['string', 'null'], description: 'The earliest near-duplicate copy, when this article is a copy.' },
                    },
                  },
                },
                attribution: { type: 'object', properties: { publisher: { type: ['string', 'null'] }, sources: { type: 'array' }, claim: { type: ['string', 'null'] }, claimed_by: { type: ['string', 'null'] } } },
              },
            }),
            ...NOT_FOUND,
            ...ERRORS,
          },
        },
      },
      '/api/articles': {
        get: {
          summary: 'Full-text search over articles, ranked, with snippets and highlight offsets.',
          parameters: [q('q', 'The query.', { type: 'string' }, { required: true }), q('limit', '1..1000.', { type: 'integer', default: 20 }), q('offset', 'Skip this many.', { type: 'integer', default: 0 })],
          responses: { '200': ok('Hits.', { type: 'object', properties: { hits: { type: 'array' } } }), ...ERRORS },
        },
        post: {
          summary: 'Ingest articles (only when the server has a token).',
          security: [{ bearer: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/ArticleRecord' }, { type: 'array', items: { $ref: '#/components/schemas/ArticleRecord' } }] } },
              'application/x-ndjson': { schema: { type: 'string', description: 'One ArticleRecord per line.' } },
              'text/plain': { schema: { type: 'string', description: 'One article in the dated line format: "date YYYY-MM-DD" then the text.' } },
            },
          },
          responses: {
            '201': ok('Stored (at least one new article).', { type: 'object', properties: { inserted: { type: 'integer' }, duplicates: { type: 'integer' }, quarantined: { type: 'integer' }, events: { type: 'integer' }, article_ids: { type: 'array', items: { type: 'string' } }, rejected: { type: 'array' } } }),
            '200': ok('Nothing new (all duplicates or rejected).', { type: 'object' }),
            '401': errorResponse('Missing or wrong token (E_AUTH).'),
            '403': errorResponse('The server is read-only (E_AUTH).'),
            '413': errorResponse('Body over the size limit (E_INGEST_TOO_LARGE).'),
            '415': errorResponse('Unsupported Content-Type.'),
            ...ERRORS,
          },
        },
      },
      '/api/articles/{id}': {
        get: {
          summary: 'One article: its normalized text, entity spans and event spans, for highlighting.',
          parameters: [idParam('id', 'Article id.')],
          responses: { '200': ok('The article.', { type: 'object', properties: { article: { type: 'object' }, text: { type: 'string' }, entities: { type: 'array' }, events: { type: 'array' } } }), ...NOT_FOUND, ...ERRORS },
        },
      },
      '/api/actors': {
        get: {
          summary: 'Search the actor knowledge base by name, alias or id.',
          parameters: [q('q', 'Name, alias or id.', { type: 'string' }, { required: true }), q('limit', '1..200.', { type: 'integer', default: 20 })],
          responses: { '200': ok('Actors.', { type: 'object', properties: { actors: { type: 'array' } } }), ...ERRORS },
        },
      },
      '/api/actors/{id}': {
        get: {
          summary: 'An actor\'s profile: knowledge-base entry, event counts, weekly activity, counterparts.',
          parameters: [idParam('id', 'Actor id (e.g. ttp) or exact name as events give it.'), ...FILTER_PARAMETERS, q('counterparts', '0..1000.', { type: 'integer', default: 20 })],
          responses: { '200': ok('Profile.', { type: 'object', properties: { actor: { type: ['object', 'null'] }, activity: { type: 'object' } } }), ...NOT_FOUND, ...ERRORS },
        },
      },
      '/api/places': {
        get: {
          summary: 'Places of the matching events, most events first.',
          parameters: [...FILTER_PARAMETERS, q('limit', '1..10000.', { type: 'integer', default: 500 })],
          responses: { '200': ok('Places.', { type: 'object', properties: { places: { type: 'array' } } }), ...ERRORS },
        },
      },
      '/api/timeseries': {
        get: {
          summary: 'Counts of matching events per day or ISO week, optionally split by type or actor.',
          parameters: [
            ...FILTER_PARAMETERS,
            q('interval', 'Bucket.', { type: 'string', enum: ['day', 'week'], default: 'day' }),
            q('by', 'Split.', { type: 'string', enum: ['none', 'type', 'acled_type', 'actor'], default: 'none' }),
            q('top', 'Keep the top N keys; the rest are "other".', { type: 'integer', minimum: 1, maximum: 100, default: 10 }),
          ],
          responses: { '200': ok('Series.', { type: 'object', properties: { interval: { type: 'string' }, by: { type: 'string' }, keys: { type: 'array' }, buckets: { type: 'array' } } }), ...ERRORS },
        },
      },
      '/api/export': {
        get: {
          summary: 'Every matching event as a download: ACLED-style CSV, JSON, JSON Lines or GeoJSON.',
          parameters: [...FILTER_PARAMETERS, q('format', 'File format.', { type: 'string', enum: ['csv', 'json', 'jsonl', 'geojson'], default: 'csv' }), q('limit', 'At most this many.', { type: 'integer' }), SORT],
          responses: {
            '200': {
              description: 'The file (Content-Disposition: attachment).',
              content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'array' } }, 'application/x-ndjson': { schema: { type: 'string' } }, 'application/geo+json': { schema: { type: 'object' } } },
            },
            ...ERRORS,
          },
        },
      },
    },
  };
}
