/**
 * Numbered schema migrations of the catalog. Migration N brings user_version
 * from N-1 to N; each runs in its own transaction (see applyMigrations).
 * Never edit a released migration: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const catalogMigrations: Migration[] = [
  {
    version: 1,
    name: 'datasets, images, annotations, tasks, runs',
    sql: `
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  format TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('classification','segmentation','detection','unlabelled')),
  multi_label INTEGER NOT NULL DEFAULT 0,
  source_path TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'importing' CHECK (state IN ('importing','incomplete','ready')),
  publisher_split INTEGER NOT NULL DEFAULT 0,
  options TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX datasets_source ON datasets(source_path);

-- the content-addressed store: one row per stored file
CREATE TABLE files (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  ext TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE images (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  source_path TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES files(sha256),
  frame_index INTEGER NOT NULL DEFAULT 0,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  channels INTEGER NOT NULL,
  bit_depth INTEGER NOT NULL,
  photometric TEXT NOT NULL,
  modality TEXT,
  group_key TEXT,
  split TEXT NOT NULL CHECK (split IN ('train','val','test')),
  metadata TEXT NOT NULL DEFAULT '{}',
  UNIQUE (dataset_id, source_path, frame_index)
);
CREATE INDEX images_dataset ON images(dataset_id, id);
CREATE INDEX images_dataset_split ON images(dataset_id, split, id);
CREATE INDEX images_dataset_group ON images(dataset_id, group_key, id);
CREATE INDEX images_dataset_sha ON images(dataset_id, sha256, frame_index);

CREATE TABLE classes (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (dataset_id, idx),
  UNIQUE (dataset_id, name)
);

CREATE TABLE image_labels (
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  dataset_id INTEGER NOT NULL,
  class_idx INTEGER NOT NULL,
  PRIMARY KEY (image_id, class_idx)
);
CREATE INDEX image_labels_class ON image_labels(dataset_id, class_idx, image_id);

CREATE TABLE masks (
  image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL REFERENCES files(sha256),
  frame_index INTEGER NOT NULL DEFAULT 0,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  class_map TEXT NOT NULL,
  source_path TEXT NOT NULL
);

-- classes present in each mask, so class filters and statistics need no pixels
CREATE TABLE mask_classes (
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  dataset_id INTEGER NOT NULL,
  class_idx INTEGER NOT NULL,
  PRIMARY KEY (image_id, class_idx)
);
CREATE INDEX mask_classes_class ON mask_classes(dataset_id, class_idx, image_id);

CREATE TABLE boxes (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  dataset_id INTEGER NOT NULL,
  class_idx INTEGER NOT NULL,
  x REAL NOT NULL,
  y REAL NOT NULL,
  w REAL NOT NULL,
  h REAL NOT NULL,
  clipped INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX boxes_image ON boxes(image_id);
CREATE INDEX boxes_class ON boxes(dataset_id, class_idx, image_id);

-- one row per source file handled by an import: the per-file report, and what a resumed import skips
CREATE TABLE import_files (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  source_path TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('imported','duplicate','skipped')),
  detail TEXT,
  PRIMARY KEY (dataset_id, source_path)
);

CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id),
  kind TEXT NOT NULL,
  config TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  config TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  final_metrics TEXT,
  folder TEXT
);

CREATE TABLE run_metrics (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  epoch INTEGER,
  task TEXT,
  name TEXT NOT NULL,
  value REAL NOT NULL
);
CREATE INDEX run_metrics_run ON run_metrics(run_id, step);
`,
  },
];
