/**
 * Layer rules of UMedPT Studio (docs/architecture.md draws them):
 *   shared/    runtime-neutral: no Node built-ins, no electron, nothing from main/ or renderer/
 *   renderer/  imports only renderer/, shared/ and browser packages
 *   main/      never imports renderer/; only main/electron/ imports electron; its floors, ground up:
 *     imaging/, files/, workers/   the ground: nothing of main/ but files/
 *     engine/                      a leaf: tensors in, tensors out; nothing of main/ but files/
 *                                  (not imaging/: decoded pixels reach it as plain arrays)
 *     catalog/                     imaging/, files/
 *     importers/                   catalog/ and below, workers/
 *     runs/                        engine/, catalog/ and below, workers/
 *     studies/                     runs/ and all runs may import
 *     cluster/                     runs/ and all runs may import (bundles, PyTorch launchers)
 *     services/                    every floor below
 *     electron/, server/, cli/     the transports on top: nothing below imports them
 *   and no import cycles anywhere.
 */

/** A floor of main/: its files import only its own folder and the floors named. */
function floor(name, room, below, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: `^main/${room}/` },
    to: { path: '^main/', pathNot: `^main/(${[room, ...below].join('|')})/` },
  };
}

const ground = ['files'];
const catalogFloor = ['catalog', 'imaging', ...ground];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'files that import each other in a loop: move what both need into a file of its own',
      severity: 'error',
      from: { path: '^(main|renderer|shared)/' },
      to: { circular: true },
    },
    floor('imaging-is-the-ground', 'imaging', ground, 'main/imaging/ (pixel codecs) imports nothing of main/ but files/'),
    floor('files-is-the-ground', 'files', [], 'main/files/ (atomic writes) imports nothing of main/'),
    floor('workers-is-the-ground', 'workers', ground, 'main/workers/ (process plumbing, job queue) imports nothing of main/ but files/'),
    floor('engine-is-a-leaf', 'engine', ground, 'main/engine/ imports nothing of main/ but files/: no catalog, importers, runs, studies, services'),
    floor('catalog-above-imaging', 'catalog', ['imaging', ...ground], 'main/catalog/ imports only imaging/ and files/'),
    floor('importers-above-catalog', 'importers', [...catalogFloor, 'workers'], 'main/importers/ imports only catalog/, imaging/, files/, workers/'),
    floor('runs-above-engine-and-catalog', 'runs', ['engine', ...catalogFloor, 'workers'], 'main/runs/ imports only engine/, catalog/, imaging/, files/, workers/'),
    floor('studies-above-runs', 'studies', ['runs', 'engine', ...catalogFloor, 'workers'], 'main/studies/ imports only runs/ and what runs may import'),
    floor('cluster-above-runs', 'cluster', ['runs', 'engine', ...catalogFloor, 'workers'], 'main/cluster/ (bundles, PyTorch launchers) imports only runs/ and what runs may import'),
    {
      name: 'transports-on-top',
      comment: 'main/electron, main/server and main/cli (and main/cli.ts) sit on the services: nothing below imports them',
      severity: 'error',
      from: { path: '^main/', pathNot: '^main/(electron|server|cli)(/|\\.ts$)' },
      to: { path: '^main/(electron|server|cli)(/|\\.ts$)' },
    },
    {
      name: 'electron-only-in-main-electron',
      comment: 'electron is imported only under main/electron/',
      severity: 'error',
      from: { pathNot: '^main/electron/' },
      to: { path: '^(node_modules/)?electron($|/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'electron-module-only-in-main-electron',
      severity: 'error',
      from: { pathNot: '^main/electron/' },
      to: { path: '^electron$' },
    },
    {
      name: 'shared-no-node-builtins',
      comment: 'shared/ runs in the renderer too: no node:* or Node built-ins',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-is-a-leaf',
      comment: 'shared/ imports only shared/ and runtime-neutral packages',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(main|renderer|tests|resources|scripts|bin)/' },
    },
    {
      name: 'renderer-only-renderer-and-shared',
      comment: 'renderer/ reaches main only through the typed client',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(main|tests|scripts|bin)/' },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'main-not-renderer',
      severity: 'error',
      from: { path: '^main/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^(main|renderer|shared)/' },
      // electron is an optional dependency: absent where its binary cannot be downloaded.
      to: { couldNotResolve: true, pathNot: '^electron$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|tests/e2e/artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.main.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'], conditionNames: ['import', 'require', 'node', 'default'], exportsFields: ['exports'], mainFields: ['module', 'main', 'types'] },
  },
};
