/**
 * Stable article ids: a content hash of the normalized text and the date, so that re-ingesting the
 * same article (whatever its white space, quotes or dashes) gives the same id and adds nothing.
 */
import { xxh64 } from '@node-rs/xxhash';

/**
 * The id of an article without one of its own: 'a_' + 16 hex digits of xxh64(date + "\n" + text).
 *
 * @example articleId('Troops retreat.', '2024-03-05') // 'a_…' (16 hex digits, same every run)
 */
export function articleId(normalizedText: string, date: string): string {
  return 'a_' + xxh64(`${date}\n${normalizedText}`).toString(16).padStart(16, '0');
}
