/**
 * The multi-pattern matcher of the actor stage: a trie over folded sub-token keys, built once at load
 * time from every alias, nationality word, country name and title, and a left-to-right longest-match
 * scan of an article's sub-tokens with case and context checks.
 *
 * @example scan(subtokensOf(tokenize('ISIS-K fighters', 0, 0)), trie, rules) // one hit over "ISIS-K"
 */
import { tokenize } from '../text/tokens.js';
import type { Token } from '../types.js';

/** What a trie entry stands for. */
export enum PayloadType {
  Actor = 0,
  Adjective = 1,
  People = 2,
  Country = 3,
  Capital = 4,
  Title = 5,
  Anaphor = 6,
  /** An ethnic, regional or religious group word of data/geo/demonyms.json ("Kurds", "Fulani"). */
  Group = 7,
}

export enum CaseMode {
  Any = 0,
  Cap = 1,
  Exact = 2,
}

export interface Payload {
  type: PayloadType;
  /** Index into the base's actors (Actor), titles, anaphors; or the ISO2 code's index (country words). */
  ref: number;
  mode: CaseMode;
  /** For Cap: which pattern pieces must be capitalised. For Exact: the pieces without dots. */
  caps: readonly boolean[] | null;
  exact: readonly string[] | null;
  /** Name of a context word list that must occur near the match. */
  context: string | null;
}

export interface TrieNode {
  next: Map<string, TrieNode> | null;
  payloads: Payload[] | null;
  /**
   * A bit set over the keys of `next` (see pieceBit), about 16 bits a child: most words of a text
   * start no pattern, and most words after a first piece ("the") continue none, so one bit test in
   * a small array turns them away without a probe of the hash map. Null when `next` is.
   */
  nextBits: Uint32Array | null;
}

export function newNode(): TrieNode {
  return { next: null, payloads: null, nextBits: null };
}

/** Bits of a node's filter per child; the filter's size is the power of two at or above this many bits per child. */
const BITS_PER_CHILD = 16;

/** A piece's bit in a filter of `mask + 1` bits, from its length and its first, middle and last characters. */
function pieceBit(key: string, mask: number): number {
  const n = key.length;
  return (Math.imul(n, 0x9e37) ^ Math.imul(key.charCodeAt(0), 0x2f1) ^ Math.imul(key.charCodeAt(n >> 1), 0x61) ^ key.charCodeAt(n - 1)) & mask;
}

/** The child of `node` for `key`, or undefined; the filter answers most misses. */
function childOf(node: TrieNode, key: string): TrieNode | undefined {
  const bits = node.nextBits;
  if (bits === null) return undefined;
  const bit = pieceBit(key, (bits.length << 5) - 1);
  if ((bits[bit >> 5]! & (1 << (bit & 31))) === 0) return undefined;
  return node.next!.get(key);
}

/** Adds a child, growing the node's filter (rebuilt from every key) when its children outgrow it. */
function addChild(node: TrieNode, key: string, child: TrieNode): void {
  const next = (node.next ??= new Map());
  next.set(key, child);
  let bits = node.nextBits;
  if (bits === null || (bits.length << 5) < next.size * BITS_PER_CHILD) {
    let size = 32;
    while (size < next.size * BITS_PER_CHILD) size *= 2;
    bits = new Uint32Array(size >> 5);
    node.nextBits = bits;
    for (const k of next.keys()) setBit(bits, k);
  } else setBit(bits, key);
}

function setBit(bits: Uint32Array, key: string): void {
  const bit = pieceBit(key, (bits.length << 5) - 1);
  bits[bit >> 5]! |= 1 << (bit & 31);
}

const MARKS = /\p{M}+/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const DOTS = /\./g;

/**
 * The match key of one piece of text: lower case, no diacritics, no dots or apostrophes.
 * @example keyOf('U.S.') // 'us'
 * @example keyOf('Burkinabè') // 'burkinabe'
 */
export function keyOf(text: string): string {
  return foldLower(text.toLowerCase());
}

const APOSTROPHES = /'/g;

/** keyOf for text already in lower case (a token's `lower`): fast path for plain a-z/0-9 words. */
function foldLower(s: string): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) { plain = false; break; }
  }
  if (plain) return s;
  if (NON_ASCII.test(s)) s = s.normalize('NFD').replace(MARKS, '');
  if (s.indexOf('.') >= 0) s = s.replace(DOTS, '');
  if (s.indexOf("'") >= 0) s = s.replace(APOSTROPHES, '');
  return s;
}

/** An article's (or an alias's) sub-tokens: tokens split at hyphens and before a possessive "'s". */
export interface Subtokens {
  keys: string[];
  starts: Int32Array;
  ends: Int32Array;
  /** Surface text of each piece (dots removed), for case checks. */
  surfaces: string[];
  sentence: Int32Array;
  /** Index of the token each piece comes from. */
  token: Int32Array;
  /** 1 where the piece's surface starts with a capital letter (see startsWithCapital). */
  capital: Uint8Array;
  length: number;
}

/**
 * Whether a piece starts with a capital letter: A-Z, or a non-ASCII character that has a lower case.
 * @example startsWithCapital('Émile') // true
 */
export function startsWithCapital(surface: string): boolean {
  const c = surface.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  if (!(c >= 128)) return false; // ASCII, or an empty surface (NaN)
  const ch = surface[0]!;
  return ch !== ch.toLowerCase();
}

/**
 * Splits tokens into match pieces. A lone "." is dropped ("Gen. Ali" reads as "Gen Ali"), a hyphenated
 * word gives its parts ("al-Shabaab" → al, shabaab), "Pakistan's" gives "Pakistan" and "'s".
 */
export function subtokensOf(tokens: readonly Token[]): Subtokens {
  // Room for every token plus some hyphen parts; grown in the rare text that needs more.
  let cap = tokens.length + (tokens.length >> 2) + 16;
  const keys = new Array<string>(cap);
  const surfaces = new Array<string>(cap);
  // The offset and flag arrays share one buffer: one allocation instead of five.
  const buffer = new ArrayBuffer(cap * 17);
  let starts: Int32Array = new Int32Array(buffer, 0, cap);
  let ends: Int32Array = new Int32Array(buffer, cap * 4, cap);
  let sentence: Int32Array = new Int32Array(buffer, cap * 8, cap);
  let token: Int32Array = new Int32Array(buffer, cap * 12, cap);
  let capital: Uint8Array = new Uint8Array(buffer, cap * 16, cap);
  let n = 0;
  const push = (surface: string, key: string, start: number, end: number, sent: number, ti: number): void => {
    if (n === cap) {
      cap *= 2;
      starts = grown(starts, cap);
      ends = grown(ends, cap);
      sentence = grown(sentence, cap);
      token = grown(token, cap);
      const wider = new Uint8Array(cap);
      wider.set(capital);
      capital = wider;
    }
    keys[n] = key;
    surfaces[n] = surface;
    starts[n] = start;
    ends[n] = end;
    sentence[n] = sent;
    token[n] = ti;
    capital[n] = startsWithCapital(surface) ? 1 : 0;
    n++;
  };
  for (let ti = 0; ti < tokens.length; ti++) {
    const t = tokens[ti]!;
    const text = t.text;
    const lower = t.lower;
    const len = text.length;
    // Plain a-z/0-9 words (most tokens) are their own key and surface.
    let plain = lower.length === len;
    for (let i = 0; i < len && plain; i++) {
      const c = lower.charCodeAt(i);
      plain = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    }
    if (plain) {
      push(text, lower, t.start, t.start + len, t.sentence, ti);
      continue;
    }
    if (len === 1 && text.charCodeAt(0) === 46) continue; // a lone "."
    const possessive = isPossessive(text);
    const bodyEnd = possessive ? len - 2 : len;
    const body = possessive ? text.slice(0, bodyEnd) : text;
    const lowerBody = possessive ? lower.slice(0, -2) : lower;
    if (hasHyphenBefore(text, bodyEnd)) {
      let from = 0;
      for (let i = 0; i <= bodyEnd; i++) {
        if (i === bodyEnd || text.charCodeAt(i) === 45) {
          if (i > from) pushPiece(push, text.slice(from, i), lowerBody.slice(from, i), t.start + from, t.sentence, ti);
          from = i + 1;
        }
      }
    } else {
      pushPiece(push, body, lowerBody, t.start, t.sentence, ti);
    }
    if (possessive) push("'s", "'s", t.start + bodyEnd, t.start + len, t.sentence, ti);
  }
  keys.length = n;
  surfaces.length = n;
  return { keys, starts, ends, surfaces, sentence, token, capital, length: n };
}

type PushPiece = (surface: string, key: string, start: number, end: number, sentence: number, token: number) => void;

/** A piece that is not a plain word: folded key, surface without dots; dropped when it folds to nothing. */
function pushPiece(push: PushPiece, text: string, lower: string, start: number, sentence: number, token: number): void {
  const key = lower === "'s" ? lower : foldLower(lower);
  if (key === '') return;
  push(text.indexOf('.') >= 0 ? text.replace(DOTS, '') : text, key, start, start + text.length, sentence, token);
}

function grown(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** The first "-" before `end` (where a possessive "'s" begins) is inside the word, not its first character. */
function hasHyphenBefore(text: string, end: number): boolean {
  if (text.charCodeAt(0) === 45) return false;
  for (let i = 1; i < end; i++) if (text.charCodeAt(i) === 45) return true;
  return false;
}

/** "Pakistan's", "ISIS'S": a word ending in a possessive "'s". */
function isPossessive(text: string): boolean {
  const len = text.length;
  return len > 2 && text.charCodeAt(len - 2) === 39 && (text.charCodeAt(len - 1) | 32) === 115;
}

/** The pieces of a pattern (alias, title), split exactly like article text. */
export function patternPieces(pattern: string): Subtokens {
  return subtokensOf(tokenize(pattern, 0, 0));
}

const UPPER_LETTERS = /^[\p{Lu}\d&]+$/u;
const HAS_UPPER = /\p{Lu}/u;

/** Case mode of an alias from its spelling: all capitals → exact ("ADF"), some capitals → cap, none → any. */
export function caseModeOf(pieces: Subtokens, override?: 'exact' | 'cap' | 'any'): CaseMode {
  if (override === 'exact') return CaseMode.Exact;
  if (override === 'cap') return CaseMode.Cap;
  if (override === 'any') return CaseMode.Any;
  let letters = 0;
  let allUpper = true;
  let anyUpper = false;
  for (const s of pieces.surfaces) {
    if (s === "'s") continue;
    letters += s.length;
    if (!UPPER_LETTERS.test(s)) allUpper = false;
    if (HAS_UPPER.test(s)) anyUpper = true;
  }
  if (allUpper && anyUpper && letters <= 8 && pieces.length <= 2) return CaseMode.Exact;
  return anyUpper ? CaseMode.Cap : CaseMode.Any;
}

/** Adds a pattern to the trie. Returns false when the pattern has no pieces. */
export function insertPattern(
  root: TrieNode,
  pattern: string,
  type: PayloadType,
  ref: number,
  override?: 'exact' | 'cap' | 'any',
  context?: string,
): boolean {
  const pieces = patternPieces(pattern);
  if (pieces.length === 0) return false;
  const mode = caseModeOf(pieces, override);
  let node = root;
  for (const key of pieces.keys) {
    let child = node.next?.get(key);
    if (child === undefined) {
      child = newNode();
      addChild(node, key, child);
    }
    node = child;
  }
  const payload: Payload = {
    type,
    ref,
    mode,
    caps: mode === CaseMode.Cap ? pieces.surfaces.map((s) => HAS_UPPER.test(s[0] ?? '')) : null,
    exact: mode === CaseMode.Exact ? pieces.surfaces.slice() : null,
    context: context ?? null,
  };
  if (node.payloads === null) node.payloads = [];
  // The same (type, ref) reached twice through two spellings: keep the most permissive.
  const same = node.payloads.findIndex((p) => p.type === type && p.ref === ref);
  if (same >= 0) {
    if (node.payloads[same]!.mode > mode) node.payloads[same] = payload;
  } else {
    node.payloads.push(payload);
  }
  return true;
}

/** A matched span of sub-tokens [s, e) with the payloads that fit it. */
export interface Hit {
  s: number;
  e: number;
  payloads: Payload[];
}

/** Compiled context word lists: name → window and folded words. */
export type Contexts = ReadonlyMap<string, { window: number; words: ReadonlySet<string> }>;

function caseFits(p: Payload, sub: Subtokens, s: number): boolean {
  if (p.mode === CaseMode.Any) return true;
  if (p.mode === CaseMode.Exact) {
    const exact = p.exact!;
    for (let k = 0; k < exact.length; k++) if (sub.surfaces[s + k] !== exact[k]) return false;
    return true;
  }
  const caps = p.caps!;
  for (let k = 0; k < caps.length; k++) {
    if (!caps[k]) continue;
    const c = sub.surfaces[s + k]!.charCodeAt(0);
    // Upper-case ASCII, or any non-ASCII letter whose lower case differs.
    if (c >= 97 && c <= 122) return false;
    if (c > 127) {
      const ch = sub.surfaces[s + k]![0]!;
      if (ch === ch.toLowerCase() && ch !== ch.toUpperCase()) return false;
    }
  }
  return true;
}

function contextFits(p: Payload, sub: Subtokens, s: number, e: number, contexts: Contexts): boolean {
  if (p.context === null) return true;
  const ctx = contexts.get(p.context);
  if (ctx === undefined) return false;
  const sent = sub.sentence[s]!;
  const lo = Math.max(0, s - ctx.window);
  const hi = Math.min(sub.length, e + ctx.window);
  for (let k = lo; k < hi; k++) {
    if (k >= s && k < e) continue;
    if (sub.sentence[k] !== sent) continue;
    if (ctx.words.has(sub.keys[k]!)) return true;
  }
  return false;
}

/**
 * Left-to-right longest match over the sub-tokens; a match never crosses a sentence. Of the payloads
 * at the longest length, those whose case and context fit are kept; when none fit, shorter lengths
 * are tried.
 */
const MAX_DEPTH = 16;

export function scan(sub: Subtokens, root: TrieNode, contexts: Contexts): Hit[] {
  const hits: Hit[] = [];
  // Ends and nodes of the patterns that start at i, reused across positions (no per-position arrays).
  const lens = new Int32Array(MAX_DEPTH);
  const nodes: TrieNode[] = new Array<TrieNode>(MAX_DEPTH);
  if (root.next === null) return hits;
  let i = 0;
  while (i < sub.length) {
    let node: TrieNode | undefined = childOf(root, sub.keys[i]!);
    if (node === undefined) { i++; continue; }
    let n = 0;
    const sent = sub.sentence[i];
    let j = i;
    while (true) {
      if (node.payloads !== null && n < MAX_DEPTH) {
        lens[n] = j + 1;
        nodes[n] = node;
        n++;
      }
      j++;
      if (j >= sub.length || sub.sentence[j] !== sent) break;
      node = childOf(node, sub.keys[j]!);
      if (node === undefined) break;
    }
    let matched = false;
    for (let k = n - 1; k >= 0 && !matched; k--) {
      const e = lens[k]!;
      let fit: Payload[] | null = null;
      for (const p of nodes[k]!.payloads!) {
        if (caseFits(p, sub, i) && contextFits(p, sub, i, e, contexts)) (fit ??= []).push(p);
      }
      if (fit !== null) {
        hits.push({ s: i, e, payloads: fit });
        i = e;
        matched = true;
      }
    }
    if (!matched) i++;
  }
  return hits;
}
