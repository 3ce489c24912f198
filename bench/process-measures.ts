/**
 * What the benchmark scripts read of this process from the operating system: a thread's CPU time and
 * bytes read (Linux /proc) and the bytes of a store's files.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Clock ticks a second in /proc's CPU times (USER_HZ, 100 on every Linux build in use). */
const PROC_TICKS_PER_SECOND = 100;

/**
 * CPU milliseconds a thread of this process has used (`process.pid` names the main thread), or null
 * where /proc cannot tell (not Linux, or the thread is gone). Read from schedstat (nanoseconds) where
 * the kernel keeps scheduler statistics, else from stat (clock ticks).
 */
export function threadCpuMs(tid: number): number | null {
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    // No scheduler statistics: the coarser clock ticks of stat below.
  }
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name (in parentheses, may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / PROC_TICKS_PER_SECOND;
  } catch {
    // Not Linux, or the thread is gone: no per-thread figure.
    return null;
  }
}

/**
 * Bytes a thread of this process has read through read system calls so far (rchar of Linux /proc:
 * page cache hits included, so SQLite's page reads count whether or not the disk was touched), or null
 * where /proc cannot tell.
 */
export function threadReadBytes(tid: number): number | null {
  try {
    const rchar = /^rchar: (\d+)$/m.exec(readFileSync(`/proc/self/task/${tid}/io`, 'utf8'));
    return rchar ? Number(rchar[1]) : null;
  } catch {
    // Not Linux, or the thread is gone: no per-thread figure.
    return null;
  }
}

/** Bytes of the files in a folder (a store and its write-ahead log). */
export function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((s, n) => s + statSync(join(dir, n)).size, 0);
}
