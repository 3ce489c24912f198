/**
 * The analysts' app: filters, map, timeline, event list, and a side panel for events and actors, all
 * driven by one filter state and the JSON API of the same server. Built by esbuild into dist/web/app.js.
 */
import { ApiError, getJson, type ActorProfile, type ArticleDetail, type EventDetail, type EventRecord, type EventsReply, type StoreStats, type TimeSeries } from './api.js';
import { TYPE_COLORS, colorOf, typeLabel } from './colors.js';
import { clear, h } from './dom.js';
import { EventMap } from './map.js';
import { renderActor, renderEvent, type PanelCallbacks } from './panel.js';
import { Timeline, type DateRange } from './timeline.js';

const MAP_LIMIT = 5000;
const LIST_PAGE = 100;

interface FilterState {
  q: string;
  type: string;
  country: string;
  actor: string;
  from: string;
  to: string;
}

const state: { filter: FilterState; events: EventRecord[]; total: number; subset: { ids: Set<string>; label: string } | null; shown: number; selected: string | null; seq: number } = {
  filter: { q: '', type: '', country: '', actor: '', from: '', to: '' },
  events: [],
  total: 0,
  subset: null,
  shown: LIST_PAGE,
  selected: null,
  seq: 0,
};

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

const form = byId<HTMLFormElement>('filters');
const list = byId<HTMLOListElement>('event-list');
const listTitle = byId('list-title');
const subsetNote = byId('subset-note');
const more = byId<HTMLButtonElement>('more');
const statusEl = byId('status');
const panel = byId('panel');
const panelBody = byId('panel-body');
const brushLabel = byId('brush-label');
let returnFocus: Element | null = null;

function setStatus(text: string, error = false): void {
  statusEl.textContent = text;
  statusEl.classList.toggle('error', error);
}

/** The filter as API parameters (for events, the timeline without its own range, and exports). */
function params(options: { withDates?: boolean } = {}): URLSearchParams {
  const f = state.filter;
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.type) p.set('type', f.type);
  if (f.country) p.set('country', f.country);
  if (f.actor) p.set('actor', f.actor);
  if (options.withDates !== false) {
    if (f.from) p.set('from', f.from);
    if (f.to) p.set('to', f.to);
  }
  return p;
}

function readForm(): void {
  const data = new FormData(form);
  const get = (k: string): string => String(data.get(k) ?? '').trim();
  state.filter = { q: get('q'), type: get('type'), country: get('country'), actor: get('actor'), from: get('from'), to: get('to') };
}

function writeForm(): void {
  for (const [k, v] of Object.entries(state.filter)) {
    const input = form.elements.namedItem(k) as HTMLInputElement | HTMLSelectElement | null;
    if (input) input.value = v;
  }
}

function updateExports(): void {
  for (const format of ['csv', 'json', 'geojson']) {
    const p = params();
    p.set('format', format);
    byId<HTMLAnchorElement>(`export-${format}`).href = `/api/export?${p.toString()}`;
  }
}

function listItem(e: EventRecord): HTMLLIElement {
  const who = [e.actor1?.name, e.actor2?.name].filter(Boolean).join(' → ');
  const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
  swatch.style.background = colorOf(e);
  const button = h(
    'button',
    { type: 'button', class: 'event-item', 'data-event-id': e.event_id, 'aria-current': e.event_id === state.selected ? 'true' : null },
    swatch,
    h('span', { class: 'ev-main' }, h('span', { class: 'ev-type' }, typeLabel(e)), h('span', { class: 'ev-where' }, `${e.location?.name ?? 'place unknown'}${e.location?.country_code ? `, ${e.location.country_code}` : ''}`), who ? h('span', { class: 'ev-who' }, who) : null),
    h('span', { class: 'ev-side' }, h('span', { class: 'ev-date' }, e.date ?? '—'), e.fatalities ? h('span', { class: 'ev-dead' }, `${e.fatalities} killed`) : null),
  );
  button.addEventListener('click', () => void openEvent(e.event_id, button));
  return h('li', {}, button);
}

function renderList(): void {
  const events = state.subset ? state.events.filter((e) => state.subset!.ids.has(e.event_id)) : state.events;
  clear(list);
  list.append(...events.slice(0, state.shown).map(listItem));
  const capped = state.total > state.events.length ? ` (the first ${state.events.length} loaded)` : '';
  listTitle.textContent = state.subset ? `${events.length} of ${state.total} events` : `${state.total} event${state.total === 1 ? '' : 's'}${capped}`;
  clear(subsetNote);
  if (state.subset) {
    subsetNote.append(
      h('span', {}, `Showing ${state.subset.label}. `),
      h('button', { type: 'button', class: 'link', onclick: () => { state.subset = null; renderList(); } }, 'Show all'),
    );
  }
  more.hidden = events.length <= state.shown;
}

const map = new EventMap(byId('map'), {
  open: (id, from) => void openEvent(id, from),
  subset: (ids, label) => {
    state.subset = { ids: new Set(ids), label };
    state.shown = LIST_PAGE;
    renderList();
    (list.querySelector('button') as HTMLButtonElement | null)?.focus();
  },
});

const timeline = new Timeline(byId('timeline'), (range: DateRange | null) => {
  state.filter.from = range?.from ?? '';
  state.filter.to = range?.to ?? '';
  writeForm();
  void refresh({ timeline: false });
});

function showBrushLabel(): void {
  const { from, to } = state.filter;
  brushLabel.textContent = from || to ? `Time range: ${from || '…'} to ${to || '…'}` : 'All dates (drag across the timeline to choose a range)';
}

async function loadTimeline(): Promise<void> {
  const p = params({ withDates: false });
  p.set('interval', 'day');
  const series = await getJson<TimeSeries>('/api/timeseries', p);
  timeline.setData(series);
}

/** Reloads everything the filter drives. */
async function refresh(options: { timeline?: boolean; fit?: boolean } = {}): Promise<void> {
  const seq = ++state.seq;
  state.subset = null;
  state.shown = LIST_PAGE;
  updateExports();
  showBrushLabel();
  timeline.setBrush(state.filter.from || state.filter.to ? { from: state.filter.from || '0000-01-01', to: state.filter.to || '9999-12-31' } : null);
  setStatus('Loading…');
  try {
    const p = params();
    p.set('limit', String(MAP_LIMIT));
    const [reply] = await Promise.all([getJson<EventsReply>('/api/events', p), options.timeline === false ? Promise.resolve() : loadTimeline()]);
    if (seq !== state.seq) return;
    state.events = reply.events;
    state.total = reply.total;
    map.setEvents(state.events);
    // A new filter (not a time range) zooms the map to what it found.
    if (options.fit !== false && options.timeline !== false) map.fit();
    renderList();
    document.body.dataset.loaded = String(seq);
    setStatus(`${reply.total} event${reply.total === 1 ? '' : 's'} match${reply.total === 1 ? 'es' : ''}.`);
  } catch (err) {
    if (seq !== state.seq) return;
    setStatus(err instanceof ApiError ? `${err.message}` : `Could not load events: ${String(err)}`, true);
  }
}

function openPanel(from: Element | null): void {
  if (panel.hidden) returnFocus = from ?? document.activeElement;
  panel.hidden = false;
  document.body.classList.add('panel-open');
}

function closePanel(): void {
  if (panel.hidden) return;
  panel.hidden = true;
  document.body.classList.remove('panel-open');
  state.selected = null;
  map.select(null);
  for (const b of list.querySelectorAll('[aria-current]')) b.removeAttribute('aria-current');
  if (returnFocus instanceof HTMLElement || returnFocus instanceof SVGElement) returnFocus.focus();
  returnFocus = null;
}

function colourSwatches(root: Element): void {
  for (const el of root.querySelectorAll<HTMLElement>('.swatch[data-color]')) el.style.background = el.dataset.color ?? '';
}

const callbacks: PanelCallbacks = {
  openActor: (key) => void openActor(key),
  openEvent: (id) => void openEvent(id, null),
  filterByActor: (key) => {
    state.filter.actor = key;
    writeForm();
    closePanel();
    void refresh();
  },
};

async function openEvent(id: string, from: Element | null): Promise<void> {
  openPanel(from);
  state.selected = id;
  map.select(id);
  for (const b of list.querySelectorAll<HTMLElement>('.event-item')) {
    if (b.dataset.eventId === id) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
  }
  clear(panelBody);
  panelBody.append(h('p', {}, 'Loading the event…'));
  try {
    const detail = await getJson<EventDetail>(`/api/events/${encodeURIComponent(id)}`);
    const article = await getJson<ArticleDetail>(`/api/articles/${encodeURIComponent(detail.event.article_id)}`).catch(() => null);
    if (state.selected !== id) return;
    clear(panelBody);
    panelBody.append(...renderEvent(detail, article, callbacks));
    panel.dataset.view = 'event';
    colourSwatches(panelBody);
    (document.getElementById('panel-title') as HTMLElement | null)?.focus();
  } catch (err) {
    clear(panelBody);
    panelBody.append(h('p', { class: 'error' }, err instanceof Error ? err.message : String(err)));
  }
}

async function openActor(key: string): Promise<void> {
  openPanel(document.activeElement);
  clear(panelBody);
  panelBody.append(h('p', {}, 'Loading the actor…'));
  try {
    const profile = await getJson<ActorProfile>(`/api/actors/${encodeURIComponent(key)}`);
    clear(panelBody);
    panelBody.append(h('button', { type: 'button', class: 'link back', onclick: () => (state.selected ? void openEvent(state.selected, null) : closePanel()) }, state.selected ? '← Back to the event' : '← Close'), ...renderActor(key, profile, callbacks));
    panel.dataset.view = 'actor';
    (document.getElementById('panel-title') as HTMLElement | null)?.focus();
  } catch (err) {
    clear(panelBody);
    panelBody.append(h('p', { class: 'error' }, err instanceof Error ? err.message : String(err)));
  }
}

function fillSelect(name: string, groups: { label: string; options: [string, string][] }[]): void {
  const select = form.elements.namedItem(name) as HTMLSelectElement;
  for (const g of groups) {
    const og = h('optgroup', { label: g.label });
    for (const [value, label] of g.options) og.append(h('option', { value }, label));
    select.append(og);
  }
}

function legend(): void {
  const el = byId('legend');
  for (const [name, color] of Object.entries(TYPE_COLORS)) {
    const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.background = color;
    el.append(h('span', { class: 'legend-item' }, sw, name));
  }
  el.append(h('span', { class: 'legend-item' }, 'size: fatalities · numbers: clusters'));
}

async function start(): Promise<void> {
  legend();
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    readForm();
    void refresh();
  });
  form.addEventListener('reset', () => {
    setTimeout(() => {
      readForm();
      void refresh();
    });
  });
  for (const name of ['type', 'country', 'from', 'to']) {
    (form.elements.namedItem(name) as HTMLElement).addEventListener('change', () => {
      readForm();
      void refresh({ timeline: name !== 'from' && name !== 'to' });
    });
  }
  more.addEventListener('click', () => {
    state.shown += LIST_PAGE;
    renderList();
  });
  byId('panel-close').addEventListener('click', closePanel);
  byId('brush-clear').addEventListener('click', () => {
    state.filter.from = '';
    state.filter.to = '';
    writeForm();
    void refresh({ timeline: false });
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !panel.hidden) {
      ev.preventDefault();
      closePanel();
    }
  });

  const [stats, world] = await Promise.all([getJson<StoreStats>('/api/stats'), fetch('/world.json').then((r) => r.json() as Promise<unknown>)]);
  map.setWorld(world);
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const countryName = (c: string): string => {
    try {
      return names.of(c) ?? c;
    } catch {
      return c;
    }
  };
  fillSelect('type', [
    { label: 'ACLED event type', options: Object.keys(stats.by_acled_type).filter((t) => t !== 'none').map((t) => [t, `${t} (${stats.by_acled_type[t]})`]) },
    { label: 'PLOVER type', options: Object.keys(stats.by_type).map((t) => [t, `${t} (${stats.by_type[t]})`]) },
  ]);
  fillSelect('country', [{ label: 'Country', options: Object.keys(stats.by_country).filter((c) => c !== 'none').map((c): [string, string] => [c, `${countryName(c)} (${stats.by_country[c]})`]).sort((a, b) => a[1].localeCompare(b[1])) }]);
  // The timeline spans the articles' dates (plus a month before); older dates are mostly background.
  const a = stats.article_dates;
  if (a.from && a.to) {
    const from = new Date(Date.parse(`${a.from}T00:00:00Z`) - 31 * 86_400_000).toISOString().slice(0, 10);
    timeline.setDomain(from, a.to);
  } else timeline.setDomain('2024-01-01', '2024-12-31');
  readForm();
  await refresh();
  map.fit();
}

void start().catch((err) => setStatus(`The app could not start: ${err instanceof Error ? err.message : String(err)}`, true));
