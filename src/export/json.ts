/** Events as one JSON array, or as JSON Lines (one record a line, for streaming and `jq -c`). */
import type { EventRecord } from '../types.js';

/** @example eventsToJson([ev]) // '[\n  {\n    "event_id": ...' */
export function eventsToJson(events: Iterable<EventRecord>): string {
  return `${JSON.stringify([...events], null, 2)}\n`;
}

/** @example eventsToJsonl([a, b]).split('\n').length // 3 (two lines and the final newline) */
export function eventsToJsonl(events: Iterable<EventRecord>): string {
  let out = '';
  for (const e of events) out += `${JSON.stringify(e)}\n`;
  return out;
}
