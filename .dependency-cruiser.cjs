/**
 * The enforced dependency direction (CONTRIBUTING.md "Layout and dependency direction", docs/ARCHITECTURE.md):
 *
 *   cli → index.ts → server → api → domain
 *                             api → store → domain (types only)
 *                             api → protocol, catalog
 *   cli, server → scenarios   (a client of localvpc's public APIs: fetch only, no server internals)
 *
 * `npm run boundaries` (part of `npm run check`) fails on any violation. Unit tests beside their code
 * (src/**\/*.test.ts) may also use node:test and node:assert.
 */
const TEST = "\\.test\\.ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Circular imports make load order matter and blur the layers. Move the shared piece down a layer.",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment:
        "src/domain holds pure rules and records: it imports only src/domain and ipaddr.js (no Node APIs, no clock, " +
        "no randomness, no other layer). Pass ids and `now` in instead.",
      from: { path: "^src/domain/", pathNot: TEST },
      to: { pathNot: ["^src/domain/", "(^|/)node_modules/ipaddr\\.js/"] },
    },
    {
      name: "domain-tests-use-only-node-test",
      severity: "error",
      comment: "Domain unit tests may add node:test and node:assert, nothing else outside src/domain.",
      from: { path: `^src/domain/.*${TEST}` },
      to: { pathNot: ["^src/domain/", "(^|/)node_modules/ipaddr\\.js/", "^node:test$", "^node:assert", "^assert", "^test$"] },
    },
    {
      name: "protocol-knows-the-wire-not-the-rest",
      severity: "error",
      comment: "src/protocol (wire format, model) must not import the api, store, server or cli layers.",
      from: { path: "^src/protocol/" },
      to: { path: "^src/(api|store|server|cli)/" },
    },
    {
      name: "store-imports-only-sqlite-and-domain-types",
      severity: "error",
      comment: "src/store knows SQL, not HTTP or rules: it imports src/store, better-sqlite3, Node builtins and domain types.",
      from: { path: "^src/store/" },
      to: {
        pathNot: ["^src/store/", "^src/domain/", "(^|/)node_modules/better-sqlite3/", "(^|/)node_modules/@types/better-sqlite3/"],
        dependencyTypesNot: ["core"],
      },
    },
    {
      name: "store-imports-domain-types-only",
      severity: "error",
      comment:
        "src/store may use the domain's record types, never its rules (import type { … }). The one exception is domain/cidr.ts: pure address arithmetic (no rules) the store needs to keep allocation hints ordered.",
      from: { path: "^src/store/" },
      to: { path: "^src/domain/", pathNot: "^src/domain/cidr\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "api-not-to-server-or-cli",
      severity: "error",
      comment: "src/api is reached from the server; it must not reach back up to src/server or src/cli.",
      from: { path: "^src/api/" },
      to: { path: "^src/(server|cli)/" },
    },
    {
      name: "scenarios-are-a-client",
      severity: "error",
      comment:
        "src/scenarios drives a running localvpc through its public APIs (EC2 Query, admin JSON) like any client, so " +
        "the CLI and the server can both run it: it must not import the server's internals or the CLI.",
      from: { path: "^src/scenarios/" },
      to: { path: ["^src/(api|store|server|cli|protocol|catalog|infra)/", "^src/index\\.ts$"] },
    },
    {
      name: "scenarios-are-above-the-api",
      severity: "error",
      comment: "Only the server, index.ts and the CLI start scenarios; the layers below the server never do.",
      from: { path: "^src/(api|domain|store|protocol|catalog|infra)/" },
      to: { path: "^src/scenarios/" },
    },
    {
      name: "catalog-is-static-facts",
      severity: "error",
      comment: "src/catalog loads static AWS facts; it must not import src/api, src/store or src/server.",
      from: { path: "^src/catalog/" },
      to: { path: "^src/(api|store|server|cli)/" },
    },
    {
      name: "nothing-imports-cli",
      severity: "error",
      comment: "src/cli is the outermost layer (flags → startLocalVpc); nothing may import it.",
      from: { pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "src-not-to-dev-deps",
      severity: "error",
      comment: "Shipped code (src/, not its unit tests) must not import devDependencies: they are absent after npm install --omit=dev.",
      from: { path: "^src/", pathNot: TEST },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that does not resolve: a typo, or a package missing from package.json.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|model|data)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".d.ts", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
