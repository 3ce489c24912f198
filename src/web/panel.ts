/**
 * The side panel's two views: one event (every field, its reports, the attribution chain, and the
 * article text with the evidence and every entity highlighted) and one actor (profile, activity over
 * time, a network of counterparts). Article text only ever enters the page as text nodes.
 */
import type { ActorProfile, ArticleDetail, EventDetail, EventRecord } from './api.js';
import { colorOf, typeLabel } from './colors.js';
import { h, s, safeLink } from './dom.js';
import { segment, type Mark } from './highlight.js';

export interface PanelCallbacks {
  openActor(key: string): void;
  openEvent(id: string): void;
  filterByActor(key: string): void;
}

function field(dl: HTMLElement, name: string, value: Node | string | number | null | undefined): void {
  dl.append(h('dt', {}, name), h('dd', {}, value === null || value === undefined || value === '' ? h('span', { class: 'none' }, '—') : value));
}

function actorButton(a: EventRecord['actor1'], cb: PanelCallbacks): Node | null {
  if (!a) return null;
  const key = a.id ?? a.name;
  return h(
    'span',
    {},
    h('button', { type: 'button', class: 'link actor-link', 'data-actor': key, onclick: () => cb.openActor(key) }, a.name),
    ` (${a.kind}${a.country ? `, ${a.country}` : ''}${a.text && a.text !== a.name ? `; “${a.text}”` : ''})`,
  );
}

/** The highlighted article: this event's evidence and trigger, and every entity by kind. */
export function articleText(article: ArticleDetail, event: EventRecord, cb: PanelCallbacks): HTMLElement {
  const marks: Mark[] = [];
  const evidence = event.evidence_all?.length ? event.evidence_all : [event.evidence];
  for (const ev of evidence) marks.push({ start: ev.start, end: ev.end, className: 'evidence', label: 'evidence for this event' });
  if (event.trigger) marks.push({ start: event.trigger.start, end: event.trigger.end, className: 'trigger', label: 'trigger words' });
  for (const e of article.entities) {
    const name = e.name ?? String(e.value ?? e.text);
    const mark: Mark = { start: e.start, end: e.end, className: `ent ent-${e.kind}`, label: `${e.kind}: ${name}` };
    if (e.kind === 'actor') mark.actor = e.id ?? name;
    marks.push(mark);
  }
  const body = h('div', { class: 'article-text', lang: 'en' });
  let paragraph = h('p');
  body.append(paragraph);
  for (const seg of segment(article.text.length, marks)) {
    const text = article.text.slice(seg.start, seg.end);
    // Paragraph breaks of the normalized text become paragraphs; no markup from the text itself.
    const parts = text.split(/\n{2,}/);
    parts.forEach((part, i) => {
      if (i > 0) {
        paragraph = h('p');
        body.append(paragraph);
      }
      if (part === '') return;
      if (seg.marks.length === 0) {
        paragraph.append(document.createTextNode(part));
        return;
      }
      const classes = [...new Set(seg.marks.flatMap((m) => m.className.split(' ')))].join(' ');
      const labels = [...new Set(seg.marks.map((m) => m.label).filter(Boolean))].join('; ');
      const actor = [...seg.marks].reverse().find((m) => m.actor)?.actor;
      const span = h('mark', { class: classes, title: labels, 'data-label': labels }, part);
      if (actor) {
        span.classList.add('clickable');
        span.addEventListener('click', () => cb.openActor(actor));
      }
      paragraph.append(span);
    });
  }
  return body;
}

/** The attribution chain: who published, whom they cite, and who claims or denies. */
function attributionChain(d: EventDetail): HTMLElement {
  const steps: Node[] = [];
  steps.push(h('li', {}, h('span', { class: 'step-kind' }, 'published by'), ' ', d.attribution.publisher ?? 'unknown publisher'));
  for (const src of d.attribution.sources) steps.push(h('li', {}, h('span', { class: 'step-kind' }, `cites (${src.kind})`), ' ', src.name));
  if (d.attribution.claim) {
    steps.push(h('li', {}, h('span', { class: 'step-kind' }, d.attribution.claim), d.attribution.claimed_by ? ` by ${d.attribution.claimed_by}` : ''));
  }
  return h('ol', { class: 'chain', 'aria-label': 'Attribution chain' }, ...steps);
}

export function renderEvent(d: EventDetail, article: ArticleDetail | null, cb: PanelCallbacks): HTMLElement[] {
  const e = d.event;
  const loc = e.location;
  const dl = h('dl', { class: 'fields' });
  field(dl, 'Event id', e.event_id);
  field(dl, 'PLOVER type', `${e.event_type}${e.mode ? ` (${e.mode})` : ''}`);
  field(dl, 'ACLED type', e.acled_event_type ? `${e.acled_event_type} — ${e.acled_sub_event_type ?? ''}` : null);
  field(dl, 'Category', e.category ?? null);
  field(dl, 'Date', e.date ? `${e.date} (${e.date_precision})` : null);
  field(dl, 'Actor 1', actorButton(e.actor1, cb));
  field(dl, 'Actor 2', actorButton(e.actor2, cb));
  field(
    dl,
    'Location',
    loc ? `${loc.name}${loc.admin1 ? `, ${loc.admin1}` : ''}${loc.country_code ? `, ${loc.country_code}` : ''} (precision ${loc.geo_precision}${loc.lat !== null && loc.lon !== null ? `; ${loc.lat.toFixed(3)}, ${loc.lon.toFixed(3)}` : ''})` : null,
  );
  field(dl, 'Fatalities', e.fatalities);
  field(dl, 'Injured', e.injured);
  field(dl, 'Count', e.count);
  field(dl, 'Claim', e.claim ? `${e.claim}${e.claimed_by ? ` by ${e.claimed_by}` : ''}` : null);
  field(dl, 'Confidence', e.confidence.toFixed(2));
  field(dl, 'Reports', e.reports ?? d.reports.length);
  field(dl, 'Independent sources', e.independent_sources ?? null);

  const reports = h(
    'ul',
    { class: 'reports' },
    ...d.reports.map((r) =>
      h(
        'li',
        { 'data-article-id': r.id },
        safeLink(r.url, r.title ?? r.id),
        ` — ${r.source ?? 'unknown source'}, ${r.date}`,
        h('span', { class: 'origin' }, ` · source: ${r.origin}${r.duplicate_of ? ` · a copy of ${r.duplicate_of}` : ''}`),
        h('blockquote', {}, ...r.evidence.map((ev) => h('p', {}, ev.text))),
      ),
    ),
  );
  const out: HTMLElement[] = [
    h('h2', { id: 'panel-title', tabindex: -1 }, h('span', { class: 'swatch', 'data-color': colorOf(e) }), typeLabel(e)),
    h('p', { class: 'subtitle' }, `${e.date ?? 'date unknown'} · ${loc?.name ?? 'place unknown'}${e.fatalities ? ` · ${e.fatalities} killed` : ''}`),
    dl,
    h('h3', {}, `Reports (${d.reports.length})`),
    reports,
    h('h3', {}, 'Attribution'),
    attributionChain(d),
  ];
  if (article) {
    out.push(
      h('h3', {}, 'Article'),
      h('p', { class: 'legend-inline' }, 'Highlighted: ', h('mark', { class: 'evidence' }, 'evidence'), ' ', h('mark', { class: 'trigger' }, 'trigger'), ' ', ...['actor', 'place', 'date', 'source', 'quantity'].flatMap((k) => [h('mark', { class: `ent ent-${k}` }, k), ' '])),
      h('h4', { class: 'article-title' }, article.article.title ?? '(no title)'),
      articleText(article, e, cb),
    );
  }
  return out;
}

function bars(weekly: { period: string; events: number }[]): SVGSVGElement {
  const w = 380;
  const hgt = 70;
  const svg = s('svg', { class: 'activity', viewBox: `0 0 ${w} ${hgt + 16}`, role: 'img', 'aria-label': `Events per week: ${weekly.map((x) => `${x.period} ${x.events}`).join(', ')}` });
  if (weekly.length === 0) return svg;
  const day = (p: string): number => Date.parse(`${p}T00:00:00Z`) / 86_400_000;
  // At least half a year wide, so one busy week is a bar, not the whole chart.
  const d1 = day(weekly[weekly.length - 1]!.period) + 7;
  const d0 = Math.min(day(weekly[0]!.period), d1 - 26 * 7);
  const max = Math.max(...weekly.map((x) => x.events));
  const bw = Math.max(2, (7 / (d1 - d0)) * w - 1);
  for (const x of weekly) {
    const bh = (x.events / max) * hgt;
    svg.append(s('rect', { x: ((day(x.period) - d0) / (d1 - d0)) * w, y: hgt - bh, width: bw, height: bh }, s('title', {}, `week of ${x.period}: ${x.events}`)));
  }
  svg.append(s('text', { x: 0, y: hgt + 13 }, new Date(d0 * 86_400_000).toISOString().slice(0, 10)), s('text', { x: w, y: hgt + 13, 'text-anchor': 'end' }, weekly[weekly.length - 1]!.period));
  return svg;
}

/** A radial network: the actor in the middle, counterparts around it, line width by shared events. */
function network(name: string, counterparts: ActorProfile['activity']['counterparts'], cb: PanelCallbacks): SVGSVGElement {
  const w = 380;
  const hgt = 300;
  const cx = w / 2;
  const cy = hgt / 2;
  const svg = s('svg', { class: 'network', viewBox: `0 0 ${w} ${hgt}`, role: 'group', 'aria-label': `Counterparts of ${name}` });
  const max = Math.max(1, ...counterparts.map((c) => c.events));
  const shown = counterparts.slice(0, 12);
  const radius = 110;
  const nodes: SVGElement[] = [];
  shown.forEach((c, i) => {
    const a = (i / Math.max(1, shown.length)) * Math.PI * 2 - Math.PI / 2;
    const x = cx + Math.cos(a) * radius;
    const y = cy + Math.sin(a) * radius;
    svg.append(s('line', { x1: cx, y1: cy, x2: x, y2: y, 'stroke-width': 1 + (c.events / max) * 6 }));
    const key = c.id ?? c.name;
    const label = `${c.name}: ${c.events} event${c.events === 1 ? '' : 's'} together`;
    const g = s(
      'g',
      { class: 'node', transform: `translate(${x},${y})`, tabindex: 0, role: 'button', 'aria-label': label, 'data-actor': key },
      s('title', {}, label),
      s('circle', { r: 6 + (c.events / max) * 8 }),
      s('text', { y: y > cy ? 24 : -14, 'text-anchor': 'middle' }, c.name.length > 26 ? `${c.name.slice(0, 25)}…` : c.name),
    );
    g.addEventListener('click', () => cb.openActor(key));
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        cb.openActor(key);
      }
    });
    nodes.push(g);
  });
  svg.append(...nodes, s('g', { class: 'node centre', transform: `translate(${cx},${cy})` }, s('circle', { r: 16 }), s('text', { y: 32, 'text-anchor': 'middle' }, name.length > 30 ? `${name.slice(0, 29)}…` : name)));
  return svg;
}

export function renderActor(key: string, p: ActorProfile, cb: PanelCallbacks): Element[] {
  const a = p.actor;
  const act = p.activity;
  const name = a?.name ?? act.name ?? key;
  const dl = h('dl', { class: 'fields' });
  if (a) {
    field(dl, 'Id', a.id);
    field(dl, 'Kind', `${a.role_now.kind}${a.role_now.role ? ` (${a.role_now.role}, as of ${act.last_date ?? 'its last event'})` : ''}`);
    field(dl, 'Country', a.country);
    field(dl, 'Part of', a.parent_name ?? a.parent);
    field(dl, 'Also known as', a.aliases.join(', '));
  } else {
    field(dl, 'Knowledge base', 'not in the actor base (named in the events only)');
  }
  field(dl, 'Events', `${act.events} (${act.as_actor1} as actor 1, ${act.as_actor2} as actor 2)`);
  field(dl, 'Fatalities', act.fatalities);
  field(dl, 'Active', act.first_date ? `${act.first_date} to ${act.last_date}` : null);
  field(dl, 'By type', Object.entries(act.by_type).map(([t, n]) => `${t} ${n}`).join(', '));
  field(dl, 'By country', Object.entries(act.by_country).map(([t, n]) => `${t} ${n}`).join(', '));
  return [
    h('h2', { id: 'panel-title', tabindex: -1 }, name),
    h('p', { class: 'subtitle' }, 'Actor profile'),
    h('button', { type: 'button', class: 'primary', onclick: () => cb.filterByActor(a?.id ?? key) }, 'Show only events with this actor'),
    dl,
    h('h3', {}, 'Activity over time (events per week)'),
    bars(act.weekly),
    h('h3', {}, `Counterparts (${act.counterparts.length})`),
    act.counterparts.length ? network(name, act.counterparts, cb) : h('p', { class: 'none' }, 'No other actor named in its events.'),
    h('ul', { class: 'counterparts' }, ...act.counterparts.map((c) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => cb.openActor(c.id ?? c.name) }, c.name), ` — ${c.events} event${c.events === 1 ? '' : 's'}${c.fatalities ? `, ${c.fatalities} killed` : ''}`))),
  ];
}
