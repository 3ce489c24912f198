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
 * Width (0, 1 or 2) of the letter or number at `at` of a lower-cased text: a-z and 0-9 answered here
 * (no A-Z is left), the rest by letterOrNumberWidth.
 */
function lowerWordUnitWidth(text: string, at: number): number {
  const unit = text.charCodeAt(at);
  if (unit < 128) return (unit >= 97 && unit <= 122) || (unit >= 48 && unit <= 57) ? 1 : 0;
  return letterOrNumberWidth(text, at);
}

/** The word hashes of the last text read, reused from one text to the next (wordHashes fills it). */
let wordBuffer = new Int32Array(1024);

/**
 * FNV-1a over the UTF-16 units of each word (a run of letters and numbers, \p{L} and \p{N}) of a
 * lower-cased text, in order, read in place instead of sliced out word by word, into wordBuffer (as
 * int32: the same 32 bits); returns how many words.
 */
function wordHashes(text: string): number {
  let count = 0;
  let at = 0;
  const length = text.length;
  while (at < length) {
    let width = lowerWordUnitWidth(text, at);
    if (width === 0) {
      at++;
      continue;
    }
    let h = 0x811c9dc5 | 0;
    do {
      for (const end = at + width; at < end; at++) h = Math.imul(h ^ text.charCodeAt(at), 0x01000193);
    } while (at < length && (width = lowerWordUnitWidth(text, at)) > 0);
    if (count === wordBuffer.length) {
      const grown = new Int32Array(2 * count);
      grown.set(wordBuffer);
      wordBuffer = grown;
    }
    wordBuffer[count++] = h;
  }
  return count;
}

/** Seeds of the hash functions, fixed so that signatures stored yesterday compare with today's. */
const SEEDS: number[] = [];
function seeds(n: number): number[] {
  while (SEEDS.length < n) SEEDS.push(fmix32((SEEDS.length + 1) * 0x9e3779b9));
  return SEEDS;
}

/** The hashes of the text's word shingles (lower-cased words, `k` at a time; fewer words: one shingle). */
export function shingleHashes(text: string, k: number): Uint32Array {
  const count = wordHashes(text.toLowerCase());
  const words = wordBuffer;
  const out = new Uint32Array(count === 0 ? 0 : Math.max(1, count - k + 1));
  for (let i = 0; i < out.length; i++) {
    // fmix32 of an int32 (its ToInt32 is the same number): the sum wraps where the uint32 one would.
    let h = 0x27d4eb2f;
    const end = Math.min(i + k, count);
    for (let j = i; j < end; j++) h = fmix32(((h ^ words[j]!) + 0x165667b1) | 0);
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
  const vectorSeeds = SIMD_LEAST === null ? 0 : size - (size % 4);
  if (vectorSeeds > 0) SIMD_LEAST!(sh, s, vectorSeeds, sig);
  leastHashes(sh, s, vectorSeeds, size, sig);
  return sig;
}

/** Fills sig[from, to) with the least fmix32(shingle ^ seed) of each seed, in JavaScript. */
function leastHashes(sh: Uint32Array, s: readonly number[], from: number, to: number, sig: Uint32Array): void {
  // Four hash functions at a time over all shingles, their running least in locals: four independent
  // chains of multiplications keep the processor busy where one would wait on each result.
  let j = from;
  for (; j + 3 < to; j += 4) {
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
  for (; j < to; j++) {
    const seed = s[j] as number;
    let least = 0xffffffff;
    for (let i = 0; i < sh.length; i++) {
      const h = fmix32((sh[i] as number) ^ seed);
      if (h < least) least = h;
    }
    sig[j] = least;
  }
}

/*
 * The same least hashes, four seeds at a time in the lanes of a WebAssembly SIMD vector (i32x4): three to
 * four times faster than the JavaScript above (60 seeds over an article's ~350 shingles: ~12 against
 * ~35-40 us), the same numbers. The module is small enough to assemble here, one instruction a line:
 *
 *   (func $least (param $shingles i32) (param $count i32) (param $seeds i32) (param $out i32) (param $size i32)
 *     ;; for each 4 seeds at $seeds + j: least = min_u over shingles x of fmix32(splat(x) ^ seeds)
 *     ;; stored at $out + j; $size is a multiple of 4, every address a byte offset into the memory.
 */

/** A WebAssembly module's bytes: an unsigned LEB128 number. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A signed LEB128 number (the immediate of i32.const). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** A vector (count, then the items). */
function wasmVector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function wasmSection(id: number, bytes: number[]): number[] {
  return [id, ...uleb(bytes.length), ...bytes];
}

/** The bytes of the module that exports `memory` and `least` (see above). */
function leastHashesModule(): Uint8Array<ArrayBuffer> {
  const I32 = 0x7f;
  const V128 = 0x7b;
  const [BLOCK, LOOP, BR, BR_IF, END, VOID] = [0x02, 0x03, 0x0c, 0x0d, 0x0b, 0x40];
  const [I32_LOAD, I32_ADD, I32_GE_U, I32_SHL] = [0x28, 0x6a, 0x4f, 0x74];
  const simd = (code: number): number[] => [0xfd, ...uleb(code)];
  const [V128_LOAD, V128_STORE, V128_CONST, I32X4_SPLAT, V128_XOR] = [simd(0x00), simd(0x0b), simd(0x0c), simd(0x11), simd(0x51)];
  const [I32X4_SHR_U, I32X4_MUL, I32X4_MIN_U] = [simd(0xad), simd(0xb5), simd(0xb7)];
  const ALIGN_4 = [2, 0];
  const get = (local: number): number[] => [0x20, ...uleb(local)];
  const set = (local: number): number[] => [0x21, ...uleb(local)];
  const i32 = (n: number): number[] => [0x41, ...sleb(n | 0)];
  const lanes = (n: number): number[] => {
    const b: number[] = [];
    for (let lane = 0; lane < 4; lane++) for (let k = 0; k < 4; k++) b.push((n >>> (8 * k)) & 0xff);
    return [...V128_CONST, ...b];
  };
  // Parameters 0-4, then the locals.
  const [SHINGLES, COUNT, SEEDS_AT, OUT, SIZE, J, I, END_AT, SEED, LEAST, H] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const shiftXor = (bits: number): number[] => [...get(H), ...get(H), ...i32(bits), ...I32X4_SHR_U, ...V128_XOR, ...set(H)];
  const times = (factor: number): number[] => [...get(H), ...lanes(factor), ...I32X4_MUL, ...set(H)];
  const body = [
    ...get(COUNT), ...i32(2), I32_SHL, ...set(END_AT),
    ...get(SIZE), ...i32(2), I32_SHL, ...set(SIZE),
    ...i32(0), ...set(J),
    BLOCK, VOID, LOOP, VOID,
    ...get(J), ...get(SIZE), I32_GE_U, BR_IF, 1,
    ...get(SEEDS_AT), ...get(J), I32_ADD, ...V128_LOAD, ...ALIGN_4, ...set(SEED),
    ...lanes(0xffffffff), ...set(LEAST),
    ...i32(0), ...set(I),
    BLOCK, VOID, LOOP, VOID,
    ...get(I), ...get(END_AT), I32_GE_U, BR_IF, 1,
    ...get(SHINGLES), ...get(I), I32_ADD, I32_LOAD, ...ALIGN_4, ...I32X4_SPLAT, ...get(SEED), ...V128_XOR, ...set(H),
    ...shiftXor(16), ...times(0x85ebca6b), ...shiftXor(13), ...times(0xc2b2ae35), ...shiftXor(16),
    ...get(LEAST), ...get(H), ...I32X4_MIN_U, ...set(LEAST),
    ...get(I), ...i32(4), I32_ADD, ...set(I),
    BR, 0, END, END,
    ...get(OUT), ...get(J), I32_ADD, ...get(LEAST), ...V128_STORE, ...ALIGN_4,
    ...get(J), ...i32(16), I32_ADD, ...set(J),
    BR, 0, END, END,
    END,
  ];
  const code = [...wasmVector([[3, I32], [3, V128]]), ...body];
  const name = (s: string): number[] => wasmVector([...s].map((c) => [c.charCodeAt(0)]));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...wasmSection(1, wasmVector([[0x60, ...wasmVector([[I32], [I32], [I32], [I32], [I32]]), 0]])),
    ...wasmSection(3, wasmVector([[0]])),
    ...wasmSection(5, wasmVector([[0x00, 1]])),
    ...wasmSection(7, wasmVector([[...name('memory'), 0x02, 0], [...name('least'), 0x00, 0]])),
    ...wasmSection(10, wasmVector([[...uleb(code.length), ...code]])),
  ]);
}

type LeastHashes = (sh: Uint32Array, s: readonly number[], size: number, sig: Uint32Array) => void;

/**
 * sig[0, size) filled by the SIMD module (size a multiple of 4), or null where WebAssembly SIMD is not
 * available (minhashSignature then computes every seed in JavaScript). The memory holds the seeds, then
 * the least hashes, then the shingles, and grows with the longest text seen.
 */
function simdLeastHashes(): LeastHashes | null {
  const bytes = leastHashesModule();
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return null;
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as { memory: WebAssembly.Memory; least: (...args: number[]) => void };
  const memory = exports.memory;
  return (sh, s, size, sig) => {
    const outAt = 4 * size;
    const shinglesAt = 8 * size;
    const need = shinglesAt + 4 * sh.length;
    if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
    const words = new Uint32Array(memory.buffer);
    for (let j = 0; j < size; j++) words[j] = s[j]!;
    words.set(sh, shinglesAt / 4);
    exports.least(shinglesAt, sh.length, 0, outAt, size);
    sig.set(words.subarray(size, 2 * size));
  };
}

const SIMD_LEAST = simdLeastHashes();

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
