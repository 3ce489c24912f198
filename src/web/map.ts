/**
 * The event map: Natural Earth countries (world-atlas, served by the app) projected once to SVG with
 * d3-geo, pan and zoom by transform, markers coloured by type and sized by fatalities, clustered in
 * screen space when dense. No tiles, nothing from the network.
 */
import { geoNaturalEarth1, geoPath, type GeoProjection } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { EventRecord } from './api.js';
import { clusterPoints } from './cluster.js';
import { colorOf, typeGroup, typeLabel } from './colors.js';
import { clear, h, s } from './dom.js';

const CELL = 34;
const MIN_K = 1;
const MAX_K = 200;

export interface MapCallbacks {
  open(eventId: string, from: Element): void;
  /** Several events at one point the map cannot split: show them in the list. */
  subset(eventIds: string[], label: string): void;
}

/** Marker radius in pixels for a death toll. */
export function markerRadius(fatalities: number | null): number {
  return 4 + Math.min(14, Math.sqrt(Math.max(0, fatalities ?? 0)) * 1.6);
}

export class EventMap {
  private readonly svg: SVGSVGElement;
  private readonly world: SVGGElement;
  private readonly markers: SVGGElement;
  private projection: GeoProjection;
  private topology: unknown = null;
  private events: EventRecord[] = [];
  private points: { x: number; y: number; index: number }[] = [];
  private k = 1;
  private tx = 0;
  private ty = 0;
  private w = 800;
  private h = 500;
  private selected: string | null = null;
  private frame = 0;

  constructor(private readonly container: HTMLElement, private readonly cb: MapCallbacks) {
    this.svg = s('svg', { class: 'map-svg', role: 'group', 'aria-label': 'Map of events: drag to pan, wheel or + and - to zoom, Tab to the markers' });
    this.world = s('g', { class: 'world' });
    this.markers = s('g', { class: 'markers' });
    this.svg.append(s('rect', { class: 'sea', x: 0, y: 0, width: '100%', height: '100%' }), this.world, this.markers);
    const controls = h(
      'div',
      { class: 'map-controls' },
      h('button', { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in (+)', onclick: () => this.zoomBy(2, this.w / 2, this.h / 2) }, '+'),
      h('button', { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out (-)', onclick: () => this.zoomBy(0.5, this.w / 2, this.h / 2) }, '−'),
      h('button', { type: 'button', 'aria-label': 'Fit the map to the events', title: 'Fit to events (0)', onclick: () => this.fit() }, '⤢'),
    );
    container.append(this.svg, controls);
    this.projection = geoNaturalEarth1();
    this.bindPanZoom();
    new ResizeObserver(() => this.resize()).observe(container);
  }

  setWorld(topology: unknown): void {
    this.topology = topology;
    this.resize();
  }

  setEvents(events: EventRecord[]): void {
    this.events = events;
    this.project();
    this.render();
  }

  select(id: string | null): void {
    this.selected = id;
    this.render();
  }

  /** Zooms to the extent of the placed events (or the whole world when there are none). */
  fit(): void {
    if (this.points.length === 0) {
      this.setTransform(1, 0, 0);
      return;
    }
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const p of this.points) {
      x0 = Math.min(x0, p.x);
      y0 = Math.min(y0, p.y);
      x1 = Math.max(x1, p.x);
      y1 = Math.max(y1, p.y);
    }
    const pad = 60;
    const k = Math.max(MIN_K, Math.min(12, (this.w - 2 * pad) / Math.max(1, x1 - x0), (this.h - 2 * pad) / Math.max(1, y1 - y0)));
    this.setTransform(k, this.w / 2 - ((x0 + x1) / 2) * k, this.h / 2 - ((y0 + y1) / 2) * k);
  }

  private resize(): void {
    const w = Math.max(200, this.container.clientWidth);
    const h = Math.max(150, this.container.clientHeight);
    const changed = w !== this.w || h !== this.h;
    this.w = w;
    this.h = h;
    this.svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    this.projection = geoNaturalEarth1().fitSize([w, h], { type: 'Sphere' });
    if (this.topology) this.drawWorld();
    this.project();
    if (changed) this.fit();
    else this.render();
  }

  private drawWorld(): void {
    const topo = this.topology as { objects: { countries: unknown } };
    const path = geoPath(this.projection);
    clear(this.world);
    this.world.append(
      s('path', { class: 'sphere', d: path({ type: 'Sphere' }) ?? '' }),
      s('path', { class: 'land', d: path(feature(topo, topo.objects.countries)) ?? '' }),
      s('path', { class: 'borders', d: path(mesh(topo, topo.objects.countries, (a, b) => a !== b)) ?? '' }),
    );
  }

  private project(): void {
    this.points = [];
    this.events.forEach((e, index) => {
      const loc = e.location;
      if (!loc || loc.lat === null || loc.lon === null) return;
      const p = this.projection([loc.lon, loc.lat]);
      if (p) this.points.push({ x: p[0], y: p[1], index });
    });
  }

  private setTransform(k: number, x: number, y: number): void {
    this.k = Math.max(MIN_K, Math.min(MAX_K, k));
    // Keep some of the map in view.
    this.tx = Math.min(this.w * 0.8, Math.max(-this.w * this.k + this.w * 0.2, x));
    this.ty = Math.min(this.h * 0.8, Math.max(-this.h * this.k + this.h * 0.2, y));
    this.world.setAttribute('transform', `translate(${this.tx},${this.ty}) scale(${this.k})`);
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.render());
  }

  private zoomBy(factor: number, cx: number, cy: number): void {
    const k = Math.max(MIN_K, Math.min(MAX_K, this.k * factor));
    const f = k / this.k;
    this.setTransform(k, cx - (cx - this.tx) * f, cy - (cy - this.ty) * f);
  }

  private bindPanZoom(): void {
    let drag: { x: number; y: number; tx: number; ty: number; id: number } | null = null;
    this.svg.addEventListener('pointerdown', (ev) => {
      if ((ev.target as Element).closest('.marker')) return;
      drag = { x: ev.clientX, y: ev.clientY, tx: this.tx, ty: this.ty, id: ev.pointerId };
      this.svg.setPointerCapture(ev.pointerId);
      this.svg.classList.add('dragging');
    });
    this.svg.addEventListener('pointermove', (ev) => {
      if (!drag || drag.id !== ev.pointerId) return;
      const scale = this.w / this.svg.getBoundingClientRect().width;
      this.setTransform(this.k, drag.tx + (ev.clientX - drag.x) * scale, drag.ty + (ev.clientY - drag.y) * scale);
    });
    const end = (ev: PointerEvent): void => {
      if (drag?.id === ev.pointerId) drag = null;
      this.svg.classList.remove('dragging');
    };
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
    this.svg.addEventListener(
      'wheel',
      (ev) => {
        ev.preventDefault();
        const r = this.svg.getBoundingClientRect();
        const scale = this.w / r.width;
        this.zoomBy(Math.exp(-ev.deltaY * 0.0015), (ev.clientX - r.left) * scale, (ev.clientY - r.top) * scale);
      },
      { passive: false },
    );
    this.container.tabIndex = 0;
    this.container.addEventListener('keydown', (ev) => {
      if (ev.target !== this.container) return;
      const step = 60;
      const keys: Record<string, () => void> = {
        ArrowLeft: () => this.setTransform(this.k, this.tx + step, this.ty),
        ArrowRight: () => this.setTransform(this.k, this.tx - step, this.ty),
        ArrowUp: () => this.setTransform(this.k, this.tx, this.ty + step),
        ArrowDown: () => this.setTransform(this.k, this.tx, this.ty - step),
        '+': () => this.zoomBy(1.5, this.w / 2, this.h / 2),
        '=': () => this.zoomBy(1.5, this.w / 2, this.h / 2),
        '-': () => this.zoomBy(1 / 1.5, this.w / 2, this.h / 2),
        '0': () => this.fit(),
      };
      const action = keys[ev.key];
      if (action) {
        ev.preventDefault();
        action();
      }
    });
  }

  private render(): void {
    clear(this.markers);
    const screen = this.points
      .map((p) => ({ x: p.x * this.k + this.tx, y: p.y * this.k + this.ty, index: p.index }))
      .filter((p) => p.x > -40 && p.y > -40 && p.x < this.w + 40 && p.y < this.h + 40);
    const clusters = clusterPoints(screen, CELL);
    // Big circles first so small ones stay clickable on top.
    const items = clusters.map((c) => ({ c, events: c.members.map((i) => this.events[i]!) }));
    items.sort((a, b) => b.events.length - a.events.length || (b.events[0]!.fatalities ?? 0) - (a.events[0]!.fatalities ?? 0));
    for (const { c, events } of items) {
      if (events.length === 1) this.markers.append(this.single(events[0]!, c.x, c.y));
      else this.markers.append(this.cluster(events, c.x, c.y));
    }
  }

  private single(e: EventRecord, x: number, y: number): SVGGElement {
    const label = `${typeLabel(e)}, ${e.date ?? 'date unknown'}, ${e.location?.name ?? ''}${e.fatalities ? `, ${e.fatalities} killed` : ''}`;
    const g = s(
      'g',
      {
        class: `marker event${e.event_id === this.selected ? ' selected' : ''}`,
        transform: `translate(${x},${y})`,
        tabindex: 0,
        role: 'button',
        'aria-label': label,
        'data-event-id': e.event_id,
        'data-group': typeGroup(e),
      },
      s('title', {}, label),
      s('circle', { r: markerRadius(e.fatalities), fill: colorOf(e) }),
    );
    const open = (): void => this.cb.open(e.event_id, g);
    g.addEventListener('click', open);
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        open();
      }
    });
    return g;
  }

  private cluster(events: EventRecord[], x: number, y: number): SVGGElement {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(typeGroup(e), (counts.get(typeGroup(e)) ?? 0) + 1);
    const main = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const dominant = events.find((e) => typeGroup(e) === main)!;
    const deaths = events.reduce((n, e) => n + (e.fatalities ?? 0), 0);
    const places = [...new Set(events.map((e) => e.location?.name).filter(Boolean))];
    const label = `${events.length} events near ${places.slice(0, 3).join(', ')}${deaths ? `, ${deaths} killed` : ''}: Enter to zoom in`;
    const r = 10 + Math.min(12, Math.log2(events.length) * 3);
    const g = s(
      'g',
      { class: 'marker cluster', transform: `translate(${x},${y})`, tabindex: 0, role: 'button', 'aria-label': label, 'data-count': events.length },
      s('title', {}, label),
      s('circle', { r, fill: colorOf(dominant) }),
      s('text', { 'text-anchor': 'middle', dy: '0.35em' }, String(events.length)),
    );
    const samePoint = events.every((e) => e.location?.lat === events[0]!.location?.lat && e.location?.lon === events[0]!.location?.lon);
    const open = (): void => {
      if (samePoint || this.k >= MAX_K / 2) this.cb.subset(events.map((e) => e.event_id), `${events.length} events at ${places.slice(0, 2).join(', ') || 'one point'}`);
      else this.zoomBy(3, x, y);
    };
    g.addEventListener('click', open);
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        open();
      }
    });
    return g;
  }
}
