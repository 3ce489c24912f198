/**
 * Writes events in any export format as they come (constant memory), to stdout or a file. The JSON
 * and GeoJSON documents are streamed too: their brackets are written around the records.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { KhabarError, errorMessage } from '../errors.js';
import type { EventRecord } from '../types.js';
import { csvHeader, eventToCsvLine } from './csv.js';
import { eventToFeature } from './geojson.js';

export type ExportFormat = 'json' | 'jsonl' | 'csv' | 'geojson';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'jsonl', 'csv', 'geojson'];

/** Where text goes: write waits when the receiver is slow (backpressure). */
export interface Sink {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
}

function waitDrain(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}

/** Thrown by a sink whose reader has gone (`khabar events | head`): stop writing, it is not a failure. */
export class OutputClosedError extends Error {
  constructor() {
    super('the output was closed by its reader');
    this.name = 'OutputClosedError';
  }
}

/** A sink on process.stdout (read when writing, so tests may replace process.stdout.write). */
export function stdoutSink(): Sink {
  let closed = false;
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') closed = true;
    else throw err;
  };
  process.stdout.on('error', onError);
  return {
    async write(chunk) {
      if (closed) throw new OutputClosedError();
      if (!process.stdout.write(chunk)) await Promise.race([waitDrain(process.stdout), new Promise((r) => process.stdout.once('error', r))]);
      if (closed) throw new OutputClosedError();
    },
    async close() {
      process.stdout.off('error', onError);
    },
  };
}

/** A sink that creates (or truncates) a file; a failure to write is E_USAGE naming the file. */
export async function fileSink(path: string): Promise<Sink> {
  const stream: WriteStream = createWriteStream(path);
  let failure: Error | null = null;
  stream.on('error', (err) => {
    failure = err;
  });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err) => reject(new KhabarError('E_USAGE', `cannot write ${path}: ${errorMessage(err)}`, { file: path })));
  });
  const check = (): void => {
    if (failure) throw new KhabarError('E_USAGE', `cannot write ${path}: ${errorMessage(failure)}`, { file: path });
  };
  return {
    async write(chunk) {
      check();
      if (!stream.write(chunk)) await waitDrain(stream);
    },
    async close() {
      await new Promise<void>((resolve) => stream.end(() => resolve()));
      check();
    },
  };
}

export interface ExportCounts {
  /** Events written. */
  written: number;
  /** Events left out (GeoJSON: no coordinates). */
  omitted: number;
}

/**
 * Streams events to a sink in one format.
 * @example await writeEvents(eachEvent(store, { country: 'PK' }), 'csv', stdoutSink());
 */
export async function writeEvents(events: AsyncIterable<EventRecord> | Iterable<EventRecord>, format: ExportFormat, sink: Sink): Promise<ExportCounts> {
  const counts: ExportCounts = { written: 0, omitted: 0 };
  if (format === 'csv') await sink.write(csvHeader());
  if (format === 'json') await sink.write('[');
  if (format === 'geojson') await sink.write('{"type":"FeatureCollection","features":[');
  for await (const e of events) {
    if (format === 'csv') await sink.write(eventToCsvLine(e));
    else if (format === 'jsonl') await sink.write(`${JSON.stringify(e)}\n`);
    else if (format === 'json') await sink.write(`${counts.written ? ',' : ''}\n${JSON.stringify(e)}`);
    else {
      const f = eventToFeature(e);
      if (!f) {
        counts.omitted++;
        continue;
      }
      await sink.write(`${counts.written ? ',' : ''}\n${JSON.stringify(f)}`);
    }
    counts.written++;
  }
  if (format === 'json') await sink.write(counts.written ? '\n]\n' : ']\n');
  if (format === 'geojson') await sink.write(counts.written ? '\n]}\n' : ']}\n');
  return counts;
}
