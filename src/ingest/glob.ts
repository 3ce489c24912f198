/**
 * A small glob matcher for input paths (node 20 has no fs.glob): `*` and `?` within one path segment,
 * `**` across segments. Wildcards do not match a leading dot, and hidden folders are not entered.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const WILDCARD = /[*?]/;
const REGEX_SPECIAL = /[.+^${}()|[\]\\]/g;

/** True when an input path holds a wildcard. @example hasGlob('data/**\/*.txt') // true */
export function hasGlob(input: string): boolean {
  return WILDCARD.test(input);
}

function segmentSource(seg: string): string {
  let out = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') out += i === 0 ? '(?!\\.)[^/]*' : '[^/]*';
    else if (c === '?') out += i === 0 ? '[^/.]' : '[^/]';
    else out += c.replace(REGEX_SPECIAL, '\\$&');
  }
  return out;
}

/**
 * Compiles a glob over `/`-separated relative paths to a RegExp (once per input, not per file).
 *
 * @example globToRegExp('**\/*.txt').test('a/b/c.txt') // true
 */
export function globToRegExp(pattern: string): RegExp {
  const segs = pattern.split('/').filter((s) => s !== '' && s !== '.');
  let src = '';
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (seg === '**') src += last ? '(?:(?!\\.)[^/]+(?:/(?!\\.)[^/]+)*)?' : '(?:(?!\\.)[^/]+/)*';
    else src += segmentSource(seg) + (last ? '' : '/');
  }
  return new RegExp(`^${src}$`);
}

/**
 * The files a glob matches, sorted, as paths starting with the pattern's literal folder.
 *
 * @example await expandGlob('data/demo/*.txt') // ['data/demo/a.txt', 'data/demo/b.txt']
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const normalized = pattern.replace(/\\/g, '/');
  const segs = normalized.split('/');
  const firstWild = segs.findIndex((s) => WILDCARD.test(s));
  const baseSegs = segs.slice(0, firstWild);
  const base = baseSegs.length === 0 ? '.' : baseSegs.join('/') || '/';
  const rest = segs.slice(firstWild);
  const re = globToRegExp(rest.join('/'));
  const maxDepth = rest.includes('**') ? Infinity : rest.length;
  const out: string[] = [];

  const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      // An unreadable or vanished folder matches nothing; the missing-input report covers empty results.
      if (err instanceof Error && 'code' in err) return;
      throw err;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const relPath = rel === '' ? e.name : `${rel}/${e.name}`;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (depth + 1 < maxDepth) await walk(full, relPath, depth + 1);
      } else if ((e.isFile() || e.isSymbolicLink()) && re.test(relPath)) {
        out.push(baseSegs.length === 0 ? relPath : `${base === '/' ? '' : base}/${relPath}`);
      }
    }
  };
  await walk(base, '', 0);
  return out;
}
