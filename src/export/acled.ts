/**
 * ACLED's coded fields derived from an event record: actor "inter" codes, the interaction code, time
 * precision, and the country's English name (ACLED's `country` column holds the name).
 */
import countriesLib from 'i18n-iso-countries';
import type { DatePrecision, EventActor, EventRecord } from '../types.js';

/**
 * ACLED inter codes by actor kind (ACLED codebook, see ACLED_GUIDE.md): 1 state forces, 2 rebels,
 * 3 political militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other. Identity militias (4)
 * cannot be told from political ones by kind alone, and parties or persons need context: no code.
 */
const INTER_BY_KIND: Readonly<Record<string, number>> = {
  state: 1,
  government: 1,
  military: 1,
  police: 1,
  intelligence: 1,
  security: 1,
  rebel: 2,
  insurgent: 2,
  terrorist: 2,
  militia: 3,
  rioters: 5,
  protesters: 6,
  civilians: 7,
  media: 7,
  ngo: 7,
  igo: 8,
};

const STATE_CODE = 1;
const EXTERNAL_CODE = 8;

/**
 * The actor's ACLED inter code, or null when its kind does not decide it. State forces of another
 * country than the event's are external forces (8).
 * @example interCode({ kind: 'military', country: 'US', ... }, 'SY') // 8
 */
export function interCode(actor: EventActor | null, eventCountry: string | null): number | null {
  if (!actor) return null;
  const code = INTER_BY_KIND[actor.kind] ?? null;
  if (code === STATE_CODE && actor.country && eventCountry && actor.country.toUpperCase() !== eventCountry.toUpperCase()) return EXTERNAL_CODE;
  return code;
}

/**
 * ACLED's interaction code: the two inter codes, lower first ("17"); one actor alone gives "60".
 * @example interaction(1, 7) // '17'
 */
export function interaction(inter1: number | null, inter2: number | null): string {
  if (inter1 === null && inter2 === null) return '';
  if (inter1 === null || inter2 === null) return `${inter1 ?? inter2}0`;
  return `${Math.min(inter1, inter2)}${Math.max(inter1, inter2)}`;
}

/** ACLED time precision: 1 day, 2 week (or a range of days), 3 month or coarser. */
export function timePrecision(p: DatePrecision): 1 | 2 | 3 {
  return p === 'day' ? 1 : p === 'week' ? 2 : 3;
}

/** The English short name of an ISO alpha-2 country code ("PK" → "Pakistan"), or the code itself. */
export function countryName(code: string | null): string {
  if (!code) return '';
  return countriesLib.getName(code.toUpperCase(), 'en', { select: 'official' }) ?? code;
}

/** The event's country code (its location's), upper-cased, or null. */
export function eventCountry(e: EventRecord): string | null {
  return e.location?.country_code?.toUpperCase() ?? null;
}
