/**
 * The enforced dependency direction (CONTRIBUTING.md "Layout and dependency direction", docs/ARCHITECTURE.md):
 *
 *   cli → index.ts → server → services/dispatcher → services/<service> → services/common → domain
 *                                                     services/<service> → protocol, store, catalog, world, admin
 *                    runtime (data plane) → services/ec2/seams.ts, domain, store, admin
 *                    world (RIR, RDAP, RPKI, BGP, AWS-owned accounts) → domain, store, admin
 *   cli, server → scenarios   (a client of localvpc's public APIs: fetch only, no server internals)
 *
 * A service folder reaches another service only through that service's `seams.ts` (ELBv2 and Lambda will create ENIs
 * through EC2's domain functions, never over HTTP); the dispatcher is the one module that knows every service.
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
      comment: "src/protocol (wire formats, models) must not import services, the store, the server, the CLI, the world or the runtime.",
      from: { path: "^src/protocol/" },
      to: { path: "^src/(services|store|server|cli|world|runtime|admin|scenarios)/" },
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
      name: "services-not-to-server-cli-or-runtime",
      severity: "error",
      comment:
        "src/services is reached from the server through the dispatcher; it must not reach back up to src/server, src/cli or the data-plane runtime.",
      from: { path: "^src/services/" },
      to: { path: "^src/(server|cli|runtime)/" },
    },
    {
      name: "a-service-reaches-another-only-through-its-seams",
      severity: "error",
      comment:
        "A service folder (src/services/<name>/) imports another service's folder only through that service's seams.ts " +
        "(declared, reviewed entry points such as EC2's createManagedEni), never its actions or internals.",
      from: { path: "^src/services/([^/]+)/" },
      to: { path: "^src/services/([^/]+)/", pathNot: ["^src/services/$1/", "^src/services/common/", "^src/services/[^/]+/seams\\.ts$"] },
    },
    {
      name: "common-knows-no-service",
      severity: "error",
      comment: "src/services/common is the machinery every service shares (pipeline, describe helpers): it knows no service.",
      from: { path: "^src/services/common/" },
      to: { path: "^src/services/(?!common/)" },
    },
    {
      name: "server-knows-only-the-dispatcher",
      severity: "error",
      comment: "src/server reaches the AWS services only through src/services/dispatcher.ts (which routes every request).",
      from: { path: "^src/server/" },
      to: { path: "^src/services/", pathNot: "^src/services/dispatcher\\.ts$" },
    },
    {
      name: "world-never-imports-services",
      severity: "error",
      comment:
        "src/world is the simulated world outside AWS (RIR, RDAP, RPKI, BGP, AWS-owned accounts): AWS services depend on it, never the reverse.",
      from: { path: "^src/world/" },
      to: { path: "^src/(services|runtime|server|cli|protocol)/" },
    },
    {
      name: "runtime-reaches-ec2-through-its-seams",
      severity: "error",
      comment: "src/runtime (the data-plane engine, flow recorder) reads EC2 state only through src/services/ec2/seams.ts.",
      from: { path: "^src/runtime/" },
      to: { path: ["^src/services/", "^src/(server|cli)/"], pathNot: "^src/services/ec2/seams\\.ts$" },
    },
    {
      name: "admin-contract-is-a-leaf",
      severity: "error",
      comment: "src/admin holds the admin route contract every layer declares routes with; it imports only the domain and store types.",
      from: { path: "^src/admin/" },
      to: { path: "^src/(services|runtime|world|server|cli|protocol)/" },
    },
    {
      name: "scenarios-are-a-client",
      severity: "error",
      comment:
        "src/scenarios drives a running localvpc through its public APIs (EC2 Query, admin JSON) like any client, so " +
        "the CLI and the server can both run it: it must not import the server's internals or the CLI.",
      from: { path: "^src/scenarios/" },
      to: { path: ["^src/(services|store|server|cli|protocol|catalog|infra|world|runtime|admin)/", "^src/index\\.ts$"] },
    },
    {
      name: "scenarios-are-above-the-api",
      severity: "error",
      comment: "Only the server, index.ts and the CLI start scenarios; the layers below the server never do.",
      from: { path: "^src/(services|runtime|world|admin|domain|store|protocol|catalog|infra)/" },
      to: { path: "^src/scenarios/" },
    },
    {
      name: "catalog-is-static-facts",
      severity: "error",
      comment: "src/catalog loads static AWS facts; it must not import src/services, src/store or src/server.",
      from: { path: "^src/catalog/" },
      to: { path: "^src/(services|store|server|cli|runtime|world)/" },
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
