/**
 * Layer rules of UMedPT Studio (see README, "Architecture"):
 *   shared/    runtime-neutral: no Node built-ins, no electron, nothing from main/ or renderer/
 *   renderer/  imports only renderer/, shared/ and browser packages
 *   main/      never imports renderer/; only main/electron/ imports electron
 */
module.exports = {
  forbidden: [
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
