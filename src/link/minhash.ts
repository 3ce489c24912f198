/**
 * Near-duplicate articles: MinHash signatures over word shingles of the normalized text, LSH band
 * keys for sub-linear candidate lookup, and the estimated Jaccard similarity of two signatures.
 */
import { letterOrNumberWidth } from '../text/tokens.js';

/** Murmur3's 32-bit finalizer: a fast, well-mixed permutation of uint32. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * FNV-1a over the UTF-16 units of each word (a run of letters and numbers, \p{L} and \p{N}) of a
 * text, in order, read in place instead of sliced out word by word.
 */
function wordHashes(text: string): number[] {
  const words: number[] = [];
  let at = 0;
  while (at < text.length) {
    let width = letterOrNumberWidth(text, at);
    if (width === 0) {
      at++;
      continue;
    }
    let h = 0x811c9dc5;
    do {
      for (const end = at + width; at < end; at++) {
        h ^= text.charCodeAt(at);
        h = Math.imul(h, 0x01000193);
      }
    } while ((width = letterOrNumberWidth(text, at)) > 0);
    words.push(h >>> 0);
  }
  return words;
}

/** Seeds of the hash functions, fixed so that signatures stored yesterday compare with today's. */
const SEEDS: number[] = [];
function seeds(n: number): number[] {
  while (SEEDS.length < n) SEEDS.push(fmix32((SEEDS.length + 1) * 0x9e3779b9));
  return SEEDS;
}

/** The hashes of the text's word shingles (lower-cased words, `k` at a time; fewer words: one shingle). */
export function shingleHashes(text: string, k: number): Uint32Array {
  const words = wordHashes(text.toLowerCase());
  const n = Math.max(1, words.length - k + 1);
  const out = new Uint32Array(words.length === 0 ? 0 : n);
  for (let i = 0; i < out.length; i++) {
    let h = 0x27d4eb2f;
    for (let j = i; j < Math.min(i + k, words.length); j++) h = fmix32((h ^ (words[j] as number)) + 0x165667b1);
    out[i] = h;
  }
  return out;
}

/**
 * The MinHash signature of a text: for each of `size` hash functions, the least hash over its shingles.
 * @example minhashSignature('Gunmen killed five villagers in Gao on Monday', 3, 60).length // 60
 */
export function minhashSignature(text: string, k: number, size: number): Uint32Array {
  const sh = shingleHashes(text, k);
  const sig = new Uint32Array(size);
  const s = seeds(size);
  // Four hash functions at a time over all shingles, their running least in locals: four independent
  // chains of multiplications keep the processor busy where one would wait on each result.
  let j = 0;
  for (; j + 3 < size; j += 4) {
    const s0 = s[j] as number;
    const s1 = s[j + 1] as number;
    const s2 = s[j + 2] as number;
    const s3 = s[j + 3] as number;
    let least0 = 0xffffffff;
    let least1 = 0xffffffff;
    let least2 = 0xffffffff;
    let least3 = 0xffffffff;
    for (let i = 0; i < sh.length; i++) {
      const x = sh[i] as number;
      const h0 = fmix32(x ^ s0);
      const h1 = fmix32(x ^ s1);
      const h2 = fmix32(x ^ s2);
      const h3 = fmix32(x ^ s3);
      if (h0 < least0) least0 = h0;
      if (h1 < least1) least1 = h1;
      if (h2 < least2) least2 = h2;
      if (h3 < least3) least3 = h3;
    }
    sig[j] = least0;
    sig[j + 1] = least1;
    sig[j + 2] = least2;
    sig[j + 3] = least3;
  }
  for (; j < size; j++) {
    const seed = s[j] as number;
    let least = 0xffffffff;
    for (let i = 0; i < sh.length; i++) {
      const h = fmix32((sh[i] as number) ^ seed);
      if (h < least) least = h;
    }
    sig[j] = least;
  }
  return sig;
}

/**
 * The signature linking stores for an article's normalized text under a near-duplicate configuration
 * (bands × rows hash functions over shingles of `shingleWords` words).
 * @example textSignature(result.text, loadLinkConfig().nearDuplicate).length // 60
 */
export function textSignature(text: string, nd: { shingleWords: number; bands: number; rowsPerBand: number }): Uint32Array {
  return minhashSignature(text, nd.shingleWords, nd.bands * nd.rowsPerBand);
}

/** Estimated Jaccard similarity of the shingle sets behind two signatures: the share of equal slots. */
export function signatureSimilarity(a: Uint32Array, b: Uint32Array): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
  return same / n;
}

/**
 * The LSH band keys of a signature: one integer per band (band number in the high bits), so two
 * texts whose signatures agree on every row of some band share a key.
 * @example bandKeys(sig, 20, 3).length // 20
 */
export function bandKeys(sig: Uint32Array, bands: number, rows: number): number[] {
  const keys: number[] = [];
  for (let b = 0; b < bands; b++) {
    let h = 0x3c6ef372 ^ b;
    for (let r = 0; r < rows; r++) h = fmix32((h ^ (sig[b * rows + r] ?? 0)) + 0x7f4a7c15);
    // band * 2^32 + h stays below 2^53: an exact integer key for SQL.
    keys.push(b * 0x1_0000_0000 + h);
  }
  return keys;
}

/** A signature as bytes for storage, and back. */
export function signatureToBytes(sig: Uint32Array): Buffer {
  return Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength);
}

export function signatureFromBytes(bytes: Uint8Array): Uint32Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Uint32Array(copy.buffer);
}
