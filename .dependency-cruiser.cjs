// Module boundaries, checked on every `npm run lint` (docs/architecture.md draws them).
// A module is a folder under server/src/modules; its index.ts is its public face.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-through-its-index',
      comment:
        "A module reaches another module only through that module's index.ts (its service and types), never its " +
        'queries, tables or other private files.',
      severity: 'error',
      from: { path: '^server/src/modules/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: {
        path: '^server/src/modules/[^/]+/',
        pathNot: ['^server/src/modules/$1/', '^server/src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'platform-below-modules',
      comment: 'platform/ is below the modules: it imports none of them (modules plug in through interfaces).',
      severity: 'error',
      from: { path: '^server/src/platform/', pathNot: '\\.test\\.ts$' },
      to: { path: '^server/src/(modules|services\\.ts|app\\.ts|tables\\.ts)' },
    },
    {
      name: 'db-below-everything',
      comment: 'db/ is the connection and the migrations: it imports no module and no platform code.',
      severity: 'error',
      from: { path: '^server/src/db/' },
      to: { path: '^server/src/(modules|platform)/' },
    },
    {
      name: 'web-sees-only-the-api-types',
      comment: "The web app imports the server's public API types (server/src/api.ts) and nothing else of it.",
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^server/', pathNot: '^server/src/api\\.ts$' },
    },
    {
      name: 'server-never-imports-web',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^web/' },
    },
    {
      name: 'api-types-only',
      comment: 'api.ts re-exports types for the web app; importing code from it would ship server code to phones.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^server/src/api\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.vue', '.js', '.mjs'],
    },
  },
};
