/**
 * The timeline: event counts per day or week as bars, and a brush (drag across it, or use the arrow
 * keys when it has focus) that sets the date range every other view is filtered by.
 */
import type { TimeSeries } from './api.js';
import { clear, s } from './dom.js';

export interface DateRange {
  from: string;
  to: string;
}

const DAY = 86_400_000;
const PAD_L = 36;
const PAD_R = 12;
const PAD_T = 8;
const PAD_B = 22;

function toDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY);
}

function fromDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

export class Timeline {
  private readonly svg: SVGSVGElement;
  private readonly bars: SVGGElement;
  private readonly axis: SVGGElement;
  private readonly brushRect: SVGRectElement;
  private d0 = 0;
  private d1 = 1;
  private w = 800;
  private h = 110;
  private series: TimeSeries | null = null;
  private range: DateRange | null = null;

  constructor(private readonly container: HTMLElement, private readonly onBrush: (range: DateRange | null) => void) {
    this.svg = s('svg', { class: 'timeline-svg', role: 'slider', tabindex: 0, 'aria-label': 'Timeline: drag to choose a time range; arrow keys move it, Shift+arrows widen it, Delete clears it' });
    this.bars = s('g', { class: 'bars' });
    this.axis = s('g', { class: 'axis' });
    this.brushRect = s('rect', { class: 'brush', y: PAD_T, height: 0, width: 0, x: 0 });
    this.svg.append(s('rect', { class: 'timeline-bg', x: 0, y: 0, width: '100%', height: '100%' }), this.bars, this.axis, this.brushRect);
    container.append(this.svg);
    this.bind();
    new ResizeObserver(() => this.resize()).observe(container);
  }

  setDomain(from: string, to: string): void {
    this.d0 = toDay(from);
    this.d1 = Math.max(this.d0 + 1, toDay(to) + 1);
    this.draw();
  }

  setData(series: TimeSeries): void {
    this.series = series;
    this.draw();
  }

  /** Shows a range without calling back. */
  setBrush(range: DateRange | null): void {
    this.range = range;
    this.drawBrush();
  }

  private x(day: number): number {
    return PAD_L + ((day - this.d0) / (this.d1 - this.d0)) * (this.w - PAD_L - PAD_R);
  }

  private dayAt(clientX: number): number {
    const r = this.svg.getBoundingClientRect();
    const px = ((clientX - r.left) / r.width) * this.w;
    const t = (px - PAD_L) / (this.w - PAD_L - PAD_R);
    return Math.max(this.d0, Math.min(this.d1 - 1, Math.floor(this.d0 + t * (this.d1 - this.d0))));
  }

  private resize(): void {
    this.w = Math.max(200, this.container.clientWidth);
    this.h = Math.max(60, this.container.clientHeight);
    this.svg.setAttribute('viewBox', `0 0 ${this.w} ${this.h}`);
    this.draw();
  }

  private draw(): void {
    clear(this.bars);
    clear(this.axis);
    const base = this.h - PAD_B;
    const width = this.series?.interval === 'week' ? 7 : 1;
    const inDomain = (this.series?.buckets ?? []).filter((b) => toDay(b.period) + width > this.d0 && toDay(b.period) < this.d1);
    const totals = new Map<string, number>();
    for (const b of inDomain) totals.set(b.period, (totals.get(b.period) ?? 0) + b.events);
    const max = Math.max(1, ...totals.values());
    for (const [period, n] of totals) {
      const d = toDay(period);
      const x0 = this.x(Math.max(d, this.d0));
      const x1 = this.x(Math.min(d + width, this.d1));
      const hgt = (n / max) * (base - PAD_T);
      this.bars.append(s('rect', { x: x0, y: base - hgt, width: Math.max(1.5, x1 - x0 - 0.5), height: hgt, 'data-period': period }, s('title', {}, `${period}: ${n} event${n === 1 ? '' : 's'}`)));
    }
    this.axis.append(s('line', { x1: PAD_L, x2: this.w - PAD_R, y1: base, y2: base }));
    this.axis.append(s('text', { x: PAD_L - 4, y: PAD_T + 8, 'text-anchor': 'end' }, String(max)));
    // Month ticks, thinned to fit.
    const first = new Date(this.d0 * DAY);
    const months: number[] = [];
    for (let d = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1)); d.getTime() / DAY < this.d1; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
      months.push(d.getTime() / DAY);
    }
    const every = Math.max(1, Math.ceil(months.length / Math.max(1, Math.floor((this.w - PAD_L) / 70))));
    months.forEach((m, i) => {
      if (i % every !== 0) return;
      const x = this.x(m);
      const date = new Date(m * DAY);
      const label = date.getUTCMonth() === 0 ? String(date.getUTCFullYear()) : date.toLocaleString('en', { month: 'short', timeZone: 'UTC' });
      this.axis.append(s('line', { x1: x, x2: x, y1: base, y2: base + 4 }), s('text', { x, y: base + 16, 'text-anchor': 'middle' }, label));
    });
    this.drawBrush();
  }

  private drawBrush(): void {
    if (!this.range) {
      this.brushRect.setAttribute('width', '0');
      this.svg.setAttribute('aria-valuetext', 'no time range chosen');
      return;
    }
    const a = this.x(Math.max(this.d0, toDay(this.range.from)));
    const b = this.x(Math.min(this.d1, toDay(this.range.to) + 1));
    this.brushRect.setAttribute('x', String(a));
    this.brushRect.setAttribute('width', String(Math.max(2, b - a)));
    this.brushRect.setAttribute('height', String(this.h - PAD_B - PAD_T));
    this.svg.setAttribute('aria-valuetext', `${this.range.from} to ${this.range.to}`);
  }

  private bind(): void {
    let start: { day: number; x: number; id: number } | null = null;
    this.svg.addEventListener('pointerdown', (ev) => {
      start = { day: this.dayAt(ev.clientX), x: ev.clientX, id: ev.pointerId };
      this.svg.setPointerCapture(ev.pointerId);
    });
    this.svg.addEventListener('pointermove', (ev) => {
      if (!start || start.id !== ev.pointerId) return;
      const d = this.dayAt(ev.clientX);
      this.range = { from: fromDay(Math.min(start.day, d)), to: fromDay(Math.max(start.day, d)) };
      this.drawBrush();
    });
    this.svg.addEventListener('pointerup', (ev) => {
      if (!start || start.id !== ev.pointerId) return;
      const moved = Math.abs(ev.clientX - start.x) > 3;
      start = null;
      if (!moved) this.range = null;
      this.drawBrush();
      this.onBrush(this.range);
    });
    this.svg.addEventListener('keydown', (ev) => {
      const span = this.d1 - this.d0;
      const step = Math.max(1, Math.round(span / 52));
      const cur = this.range ? { a: toDay(this.range.from), b: toDay(this.range.to) } : { a: this.d1 - 1 - step * 4, b: this.d1 - 1 };
      let next: { a: number; b: number } | null = null;
      if (ev.key === 'ArrowLeft') next = ev.shiftKey ? { a: cur.a - step, b: cur.b } : { a: cur.a - step, b: cur.b - step };
      else if (ev.key === 'ArrowRight') next = ev.shiftKey ? { a: cur.a, b: cur.b + step } : { a: cur.a + step, b: cur.b + step };
      else if (ev.key === 'Delete' || ev.key === 'Backspace') {
        ev.preventDefault();
        this.range = null;
        this.drawBrush();
        this.onBrush(null);
        return;
      }
      if (!next) return;
      ev.preventDefault();
      const a = Math.max(this.d0, Math.min(next.a, this.d1 - 1));
      const b = Math.max(a, Math.min(next.b, this.d1 - 1));
      this.range = { from: fromDay(a), to: fromDay(b) };
      this.drawBrush();
      this.onBrush(this.range);
    });
  }
}
