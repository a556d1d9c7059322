/**
 * Liveness of a training process that the current manager may not have
 * started (after an app restart): the worker rewrites heartbeat.json every few
 * seconds with its pid; a run is alive when that pid exists and the beat is
 * recent.
 */
import { readFileSync } from 'node:fs';
import { readJsonFile } from './runFolder';
import { writeJsonAtomic } from '../files/atomicFile';

export const heartbeatIntervalMs = 2000;
/** a beat older than this means the process hangs or is gone */
export const heartbeatStaleMs = 20000;

export interface Heartbeat {
  pid: number;
  time: string;
  step: number;
}

export function writeHeartbeat(file: string, beat: Heartbeat): void {
  writeJsonAtomic(file, beat);
}

export function readHeartbeat(file: string): Heartbeat | null {
  return readJsonFile<Heartbeat>(file);
}

/** Linux: a killed process whose new parent has not reaped it yet is a zombie, not alive. */
function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the state letter follows the parenthesised command name, which may itself hold spaces
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still means alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

export function heartbeatIsLive(beat: Heartbeat | null, now = Date.now()): boolean {
  if (!beat) return false;
  if (!isProcessAlive(beat.pid)) return false;
  return now - Date.parse(beat.time) < heartbeatStaleMs;
}
