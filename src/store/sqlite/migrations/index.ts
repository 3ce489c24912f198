/**
 * The SQLite schema's migrations, in order. Append a new numbered file for each change; never edit
 * one that has shipped (stores in the wild have applied it).
 */
import { sql as m001 } from './001-initial.js';
import { sql as m002 } from './002-sort-indexes.js';
import { sql as m003 } from './003-link.js';
import { sql as m004 } from './004-sources.js';
import { sql as m005 } from './005-write-path.js';
import { sql as m006 } from './006-fts-explicit.js';
import { sql as m007 } from './007-link-lighter.js';
import { sql as m008 } from './008-fts-pending.js';
import { sql as m009 } from './009-place-index.js';
import { sql as m010 } from './010-link-band-days.js';
import { sql as m011 } from './011-cluster-country.js';
import { sql as m012 } from './012-confidence-country-indexes.js';
import { sql as m013 } from './013-fts-inline.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: m001 },
  { version: 2, name: 'sort-indexes', sql: m002 },
  { version: 3, name: 'link', sql: m003 },
  { version: 4, name: 'sources', sql: m004 },
  { version: 5, name: 'write-path', sql: m005 },
  { version: 6, name: 'fts-explicit', sql: m006 },
  { version: 7, name: 'link-lighter', sql: m007 },
  { version: 8, name: 'fts-pending', sql: m008 },
  { version: 9, name: 'place-index', sql: m009 },
  { version: 10, name: 'link-band-days', sql: m010 },
  { version: 11, name: 'cluster-country', sql: m011 },
  { version: 12, name: 'confidence-country-indexes', sql: m012 },
  { version: 13, name: 'fts-inline', sql: m013 },
];
