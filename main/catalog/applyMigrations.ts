import type Database from 'better-sqlite3';
import type { Migration } from './catalogMigrations';

/**
 * Brings the database to the newest schema: every migration above the
 * current user_version runs in its own transaction, which also bumps
 * user_version, so a crash leaves the schema at a whole version. The version
 * is re-read inside an IMMEDIATE transaction so two processes opening a new
 * catalog at once do not both apply the same migration.
 */
export function applyMigrations(db: Database.Database, migrations: Migration[]): number {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`catalog migrations must be numbered 1..N without gaps (found ${m.version} at position ${i + 1})`);
  });
  const newest = sorted.length;
  const readVersion = () => db.pragma('user_version', { simple: true }) as number;
  if (readVersion() > newest) throw new Error(`catalog schema version ${readVersion()} is newer than this app knows (${newest}); update the app`);
  const step = db.transaction(() => {
    const current = readVersion();
    const next = sorted[current];
    if (!next) return false;
    db.exec(next.sql);
    db.pragma(`user_version = ${next.version}`);
    return true;
  });
  while (step.immediate()) {
    // one migration per transaction
  }
  return readVersion();
}
