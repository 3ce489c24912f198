/**
 * Near-duplicate articles: MinHash signatures over word shingles of the normalized text, LSH band
 * keys for sub-linear candidate lookup, and the estimated Jaccard similarity of two signatures.
 */

const WORD = /[\p{L}\p{N}]+/gu;

/** Murmur3's 32-bit finalizer: a fast, well-mixed permutation of uint32. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over a string's UTF-16 units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Seeds of the hash functions, fixed so that signatures stored yesterday compare with today's. */
const SEEDS: number[] = [];
function seeds(n: number): number[] {
  while (SEEDS.length < n) SEEDS.push(fmix32((SEEDS.length + 1) * 0x9e3779b9));
  return SEEDS;
}

/** The hashes of the text's word shingles (lower-cased words, `k` at a time; fewer words: one shingle). */
export function shingleHashes(text: string, k: number): Uint32Array {
  const words: number[] = [];
  for (const m of text.toLowerCase().matchAll(WORD)) words.push(fnv1a(m[0]));
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
  const sig = new Uint32Array(size).fill(0xffffffff);
  const s = seeds(size);
  for (let i = 0; i < sh.length; i++) {
    const x = sh[i] as number;
    for (let j = 0; j < size; j++) {
      const h = fmix32(x ^ (s[j] as number));
      if (h < (sig[j] as number)) sig[j] = h;
    }
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
