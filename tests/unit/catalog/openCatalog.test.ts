import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { openCatalog, catalogPath } from '../../../main/catalog/openCatalog';
import { applyMigrations } from '../../../main/catalog/applyMigrations';
import { catalogMigrations } from '../../../main/catalog/catalogMigrations';
import { tempDir } from '../importers/generatedFixtures';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function dataDir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('openCatalog', () => {
  it('creates the schema with WAL and foreign keys, and records the version in user_version', () => {
    const dir = dataDir();
    const catalog = openCatalog(dir);
    expect(catalog.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(catalog.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(catalog.db.pragma('user_version', { simple: true })).toBe(catalogMigrations.length);
    const tables = (catalog.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    for (const t of ['datasets', 'images', 'classes', 'image_labels', 'masks', 'boxes', 'tasks', 'runs', 'run_metrics', 'files']) expect(tables).toContain(t);
    const runColumns = (catalog.db.prepare('PRAGMA table_info(runs)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(runColumns).toEqual(['id', 'name', 'state', 'config', 'created_at', 'updated_at', 'final_metrics', 'folder']);
    const metricColumns = (catalog.db.prepare('PRAGMA table_info(run_metrics)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(metricColumns).toEqual(['run_id', 'step', 'epoch', 'task', 'name', 'value']);
    catalog.close();
    expect(path.basename(catalogPath(dir))).toBe('catalog.sqlite');
  });

  it('reopens an existing catalog without re-running migrations and keeps the data', () => {
    const dir = dataDir();
    const first = openCatalog(dir);
    first.db.prepare("INSERT INTO runs (id, name, state, created_at, updated_at) VALUES ('r1', 'run', 'done', 'now', 'now')").run();
    first.close();
    const second = openCatalog(dir);
    expect(second.db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 1 });
    second.close();
  });

  it('enforces foreign keys (an image of a missing dataset is refused)', () => {
    const catalog = openCatalog(dataDir());
    expect(() =>
      catalog.db
        .prepare("INSERT INTO images (dataset_id, source_path, sha256, width, height, channels, bit_depth, photometric, split) VALUES (99, 'a', 'x', 1, 1, 1, 8, 'M', 'train')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    catalog.close();
  });
});

describe('applyMigrations', () => {
  it('applies each migration in its own transaction: a failing one leaves the previous version intact', () => {
    const db = new Database(':memory:');
    const migrations = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'two (broken)', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO missing_table VALUES (1);' },
    ];
    expect(() => applyMigrations(db, migrations)).toThrow(/missing_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(['a']);
    db.close();
  });

  it('refuses a database newer than the app and gaps in the numbering', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 7');
    expect(() => applyMigrations(db, catalogMigrations)).toThrow(/newer than this app/);
    expect(() => applyMigrations(new Database(':memory:'), [{ version: 2, name: 'x', sql: '' }])).toThrow(/without gaps/);
  });
});
