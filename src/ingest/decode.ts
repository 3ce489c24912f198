/**
 * Bytes to text, refusing what is not text: NUL bytes or mostly control characters are binary, bytes
 * that are not UTF-8 are an encoding error. A UTF-8 BOM is dropped; UTF-16 with a BOM is decoded.
 */
import type { ErrorCode } from '../errors.js';
import { where } from './quarantine.js';

export type Decoded = { ok: true; text: string } | { ok: false; code: ErrorCode; message: string };

/** Share of control characters in the first KB above which input is binary even without NULs. */
const MAX_CONTROL_SHARE = 0.1;
const SNIFF_BYTES = 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16le = new TextDecoder('utf-16le', { fatal: true });
const utf16be = new TextDecoder('utf-16be', { fatal: true });

function controlShare(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  if (n === 0) return 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if ((b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) || b === 127) control++;
  }
  return control / n;
}

/**
 * Decodes one file or one JSONL line.
 *
 * @example decodeText(Buffer.from('date 2024-03-05 …'), 'a.txt', null) // { ok: true, text: 'date 2024-03-05 …' }
 */
export function decodeText(bytes: Uint8Array, file: string, line: number | null): Decoded {
  const at = where(file, line);
  const b0 = bytes[0];
  const b1 = bytes[1];
  const utf16 = b0 === 0xff && b1 === 0xfe ? utf16le : b0 === 0xfe && b1 === 0xff ? utf16be : null;
  if (utf16 && bytes.length % 2 === 0) {
    try {
      const text = utf16.decode(bytes);
      if (!text.includes('\u0000')) return { ok: true, text };
    } catch (err) {
      // A fatal decoder throws TypeError on bad input: not UTF-16 after all, so try the checks below.
      if (!(err instanceof TypeError)) throw err;
    }
  }
  if (bytes.indexOf(0) !== -1 || controlShare(bytes) > MAX_CONTROL_SHARE) {
    return {
      ok: false,
      code: 'E_INGEST_BINARY',
      message: `${at}: binary content (NUL or control bytes), not text; give a UTF-8 text, JSONL or HTML file instead.`,
    };
  }
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return {
      ok: false,
      code: 'E_INGEST_ENCODING',
      message: `${at}: not valid UTF-8; convert the file to UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8) and ingest it again.`,
    };
  }
}
