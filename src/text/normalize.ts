/**
 * Normalization: one clean text for every later stage, with a map back to raw offsets.
 * Folds white space, typographic quotes and dashes; drops photo/image credit lines; keeps a headline
 * that stands alone as a line on a line of its own; joins hard-wrapped lines of one paragraph.
 *
 * @example normalizeText('Troops  “retreat”\u2014officials') // { text: 'Troops "retreat"-officials', ... }
 */
import type { KhabarDoc } from '../types.js';
import type { Stage } from '../pipeline.js';

/** Characters replaced one for one (length-preserving, so offsets map one to one). */
const CHAR_FOLD: Record<string, string> = {
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u00ab': '"', '\u00bb': '"', '\u2033': '"',
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u0060': "'", '\u00b4': "'",
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
};
const SPACES = '\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\t\f\v\r ';
const DROPPED = '\u200b\u200c\u200d\u2060\ufeff\u00ad';
const ELLIPSIS = 0x2026;

/** What to do with each UTF-16 code unit: 0 keep, 1 space, 2 drop, 3 fold (see FOLD_TO), 4 ellipsis. */
const ACTION = new Uint8Array(65536);
const FOLD_TO = new Uint16Array(65536);
for (const c of SPACES) ACTION[c.charCodeAt(0)] = 1;
for (const c of DROPPED) ACTION[c.charCodeAt(0)] = 2;
for (const [from, to] of Object.entries(CHAR_FOLD)) {
  ACTION[from.charCodeAt(0)] = 3;
  FOLD_TO[from.charCodeAt(0)] = to.charCodeAt(0);
}
ACTION[ELLIPSIS] = 4;
const UTF16 = new TextDecoder('utf-16le');

/** Lines that are photo or image credits, captions markers or sharing furniture, not article text. */
const BOILERPLATE_LINE = [
  /^\(?\s*(?:image|photo|photograph|picture|pic|video|graphic|file photo)\s*:.*$/i,
  /^\((?:image|photo|photograph|picture|video|file)\b[^)]*\)\s*$/i,
  /^(?:photo|image|picture)\s+(?:credit|courtesy)\b.*$/i,
  /^(?:share|share this|share on (?:facebook|twitter|x)|tweet|email|print|advertisement|related:?|read more:?|also read:?)\s*$/i,
  /^(?:copyright|\u00a9)\s.*$/i,
];

const TERMINAL = /[.!?:;"')\]]$/;
const MAX_HEADLINE_WORDS = 25;

export interface Normalized {
  text: string;
  toRaw: Int32Array;
}

interface RawLine {
  start: number;
  end: number;
  content: string;
}

/** Splits raw text into lines with their raw start/end offsets (end excludes the line break). */
function splitLines(raw: string): RawLine[] {
  const lines: RawLine[] = [];
  let start = 0;
  if (raw.indexOf('\r') < 0 && raw.indexOf('\u2028') < 0 && raw.indexOf('\u2029') < 0) {
    // Only "\n" breaks lines (most texts): let indexOf find them.
    for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', start)) {
      lines.push({ start, end: i, content: raw.slice(start, i) });
      start = i + 1;
    }
    lines.push({ start, end: raw.length, content: raw.slice(start) });
    return lines;
  }
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c > 13 && c < 0x2028) continue; // most characters: one test
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
      lines.push({ start, end: i, content: raw.slice(start, i) });
      if (c === 13 && i + 1 < raw.length && raw.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  lines.push({ start, end: raw.length, content: raw.slice(start) });
  return lines;
}

function isBoilerplate(line: string): boolean {
  const t = line.trim();
  return BOILERPLATE_LINE.some((re) => re.test(t));
}

function wordCount(line: string): number {
  const t = line.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/**
 * Normalizes raw article text. Lines are joined with "\n" where a line is a paragraph or headline
 * boundary, with a space where a paragraph was hard-wrapped.
 */
export function normalizeText(raw: string): Normalized {
  const lines = splitLines(raw);
  const kept: { line: RawLine; blankBefore: boolean }[] = [];
  let blank = true;
  for (const line of lines) {
    if (line.content.trim() === '') {
      blank = true;
      continue;
    }
    if (isBoilerplate(line.content)) continue;
    kept.push({ line, blankBefore: blank });
    blank = false;
  }
  // Hard-wrapped text: most lines run on without closing punctuation and no blank lines part them.
  const endsOpen = kept.filter((k) => !TERMINAL.test(k.line.content.trimEnd())).length;
  const wrapped = kept.length >= 4 && endsOpen / kept.length > 0.5 && kept.filter((k) => k.blankBefore).length <= 1;

  // Output code units and their raw offsets; an ellipsis grows to three dots, nothing else grows.
  let capacity = raw.length + 1;
  for (let i = raw.indexOf('\u2026'); i !== -1; i = raw.indexOf('\u2026', i + 1)) capacity += 2;
  const codes = new Uint16Array(capacity);
  const map = new Int32Array(capacity);
  let n = 0;
  for (let li = 0; li < kept.length; li++) {
    const { line, blankBefore } = kept[li]!;
    if (li > 0) {
      // Unwrapped text: every line break ends a segment. Wrapped text: only a blank line, or a short
      // first line without closing punctuation (a headline), does.
      const prev = kept[li - 1]!.line.content.trimEnd();
      const headlineFirst = li === 1 && !TERMINAL.test(prev) && wordCount(prev) <= MAX_HEADLINE_WORDS;
      const boundary = !wrapped || blankBefore || headlineFirst;
      codes[n] = boundary ? 10 : 32;
      map[n++] = line.start > 0 ? line.start - 1 : 0;
    }
    let pendingSpace = -1; // raw offset of the first white space of a pending run, or -1
    let wroteAny = false;
    for (let i = line.start; i < line.end; i++) {
      const c = raw.charCodeAt(i);
      const action = ACTION[c]!;
      if (action === 2) continue;
      if (action === 1) {
        if (pendingSpace < 0) pendingSpace = i;
        continue;
      }
      if (pendingSpace >= 0 && wroteAny) {
        codes[n] = 32;
        map[n++] = pendingSpace;
      }
      pendingSpace = -1;
      wroteAny = true;
      if (action === 4) {
        for (let k = 0; k < 3; k++) {
          codes[n] = 46;
          map[n++] = i;
        }
      } else {
        codes[n] = action === 3 ? FOLD_TO[c]! : c;
        map[n++] = i;
      }
    }
  }
  const text = UTF16.decode(codes.subarray(0, n));
  // The map has room for one more offset than the text has units (see capacity): a view, not a copy.
  map[n] = raw.length;
  const toRaw = n + 1 === capacity ? map : map.subarray(0, n + 1);
  return { text, toRaw };
}
/** Pipeline stage: fills `doc.text` and `doc.toRaw` from `doc.article.rawText`. */
export const normalizeStage: Stage = {
  name: 'normalize',
  requires: [],
  assigns: ['text'],
  run(doc: KhabarDoc): KhabarDoc {
    const { text, toRaw } = normalizeText(doc.article.rawText);
    doc.text = text;
    doc.toRaw = toRaw;
    return doc;
  },
};
