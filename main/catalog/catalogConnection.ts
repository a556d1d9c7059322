import type Database from 'better-sqlite3';
import path from 'node:path';
import { ContentStore } from './contentStore';

/**
 * One connection to the catalog: the SQLite database, its prepared
 * statements and the content store. The query modules take this, the Catalog
 * facade (openCatalog.ts) builds on it, so neither imports the other.
 */
export class CatalogConnection {
  readonly store: ContentStore;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly counts = new Map<string, number>();
  private countsVersion = '';

  constructor(
    readonly db: Database.Database,
    readonly dataDir: string,
  ) {
    this.store = new ContentStore(path.join(dataDir, 'store'));
  }

  /** Prepared once per connection: listImages runs often and must stay fast. */
  statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * A count remembered until the database changes: data_version moves on
   * commits by other connections (the import worker), total_changes() on
   * this connection's own writes.
   */
  cachedCount(key: string, count: () => number): number {
    const version = `${this.db.pragma('data_version', { simple: true })}:${(this.statement('SELECT total_changes() AS n').get() as { n: number }).n}`;
    if (version !== this.countsVersion) {
      this.counts.clear();
      this.countsVersion = version;
    }
    let value = this.counts.get(key);
    if (value === undefined) {
      value = count();
      this.counts.set(key, value);
    }
    return value;
  }

  /** The stored bytes of an image or mask file, exactly as imported. */
  readFile(sha256: string): Uint8Array {
    return this.store.read(sha256);
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}
