/** Colours and labels of event types on the map, the legend and the list (colour-blind-safe-ish palette). */
import type { EventRecord } from './api.js';

export const TYPE_COLORS: Record<string, string> = {
  Battles: '#c0392b',
  'Explosions/Remote violence': '#e67e22',
  'Violence against civilians': '#8e44ad',
  Protests: '#27ae60',
  Riots: '#b7950b',
  'Strategic developments': '#2471a3',
  Other: '#6c7a89',
};

/** The legend group of an event: its ACLED event type, or "Other" for non-conflict PLOVER events. */
export function typeGroup(e: EventRecord): string {
  return e.acled_event_type && TYPE_COLORS[e.acled_event_type] ? e.acled_event_type : 'Other';
}

export function colorOf(e: EventRecord): string {
  return TYPE_COLORS[typeGroup(e)]!;
}

/** A short label: the ACLED sub-event type when there is one, else the PLOVER type. */
export function typeLabel(e: EventRecord): string {
  return e.acled_sub_event_type ?? e.event_type;
}
