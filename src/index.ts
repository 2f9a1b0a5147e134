/**
 * localvpc as a library: `const vpc = await startLocalVpc({ port: 0 })` → `vpc.url`, `await vpc.reset()`,
 * `await vpc.close()`. The CLI's `serve` command is a thin wrapper around this.
 */
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import { Ec2Service } from "./services/ec2/service.js";
import { loadCatalog } from "./catalog/catalog.js";
import { loadImagesFile } from "./services/ec2/images-file.js"; // issue 15
import { DEFAULT_QUOTAS, type Quotas } from "./domain/quotas.js";
import type { IdGenerator } from "./domain/ids.js";
import { NO_DELAYS, type TransitionDelays } from "./domain/eni-attachment.js";
import { managedEniRoutes } from "./services/ec2/managed-enis.js";
import { TrafficEngine, trafficRoutes } from "./runtime/traffic.js";
import type { AdminRoute } from "./admin/routes.js";
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from "./protocol/auth.js";
import { SimulatedClock } from "./infra/clock.js";
import { randomIds } from "./infra/random-ids.js";
import { createHttpServer, DEFAULT_CONNECTION_LIMITS } from "./server/http.js";
import { RequestGuard } from "./server/guard.js";
import { randomBytes } from "node:crypto";
import { Dispatcher } from "./services/dispatcher.js";
import { stsService } from "./services/sts/service.js";
import { iamService } from "./services/iam/service.js";
import { Store } from "./store/store.js";
import { err } from "./domain/errors.js";
import { isAwsRegion, optInRegionSet, regionEnabled } from "./domain/regions.js";
// BYOIP: the simulated registry, RDAP and the internet's BGP view
import { awsReceives, byoipWorldRoutes, whyNotRoutedToAws } from "./world/byoip-world.js";
import { WORLD_SCOPE } from "./domain/byoip.js";
// --- flow logs (issue 5) ---
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { FlowRecorder, PENDING_META } from "./runtime/flow-recorder.js";
import { flowLogChaosRoutes } from "./runtime/flow-log-chaos.js"; // issue 21
import { bandwidthRoutes } from "./runtime/bandwidth.js"; // issue 21
import { awsServiceOf } from "./domain/aws-service-ranges.js"; // issue 21
import { awsServiceRanges } from "./catalog/aws-service-ranges.js"; // issue 21
import { LogsService } from "./services/logs/service.js";
// --- Lambda (issue 17) ---
import { LambdaService } from "./services/lambda/service.js";
// --- ELBv2 (issue 17) ---
import { elbv2Service, type HealthProbe } from "./services/elbv2/service.js";
import { loadBalancerForwarding } from "./services/elbv2/seams.js";
// --- EKS (issue 18) ---
import { eksService } from "./services/eks/service.js";
import { eksRoutes } from "./services/eks/routes.js";
// --- Web console (issue 6) ---
import { ChangeFeed } from "./server/events.js";
import { consoleRoutes } from "./server/console.js";
// --- Web console scenarios (issue 6) ---
import { isConsoleReadOnly, isLoopbackHost } from "./server/console.js";
import { scenarioRoutes, selfUrl } from "./server/scenario-routes.js";
// --- Authentication (issue 14): --auth strict verifies SigV4 ---
import { checkKeys, SigV4Verifier, type KnownKey, type RequestVerifier } from "./services/auth.js";
import { loadCredentialsFile } from "./infra/credentials-file.js";

export const VERSION = "0.1.0";

/** The store's meta key for the simulated clock's offset. */
const CLOCK_OFFSET_META = "clock.offsetMs";

/** The largest single clock advance: 100 years. */
const MAX_CLOCK_ADVANCE_MS = 100 * 365.25 * 24 * 3600_000;

export interface LocalVpcOptions {
  /** Port to listen on; 0 picks a free one. Default 4599. */
  readonly port?: number;
  /** Host to bind; default 127.0.0.1. */
  readonly host?: string;
  /** SQLite file path, or ":memory:" (default) for throwaway state. */
  readonly data?: string;
  /** pino level: "silent" (library default), "info" (CLI default), "debug"… */
  readonly logLevel?: string;
  /** Overrides of AWS quotas (see domain/quotas.ts). */
  readonly quotas?: Partial<Quotas>;
  /** Actions answered with UnauthorizedOperation (emulates a missing IAM permission). */
  readonly deniedActions?: readonly string[];
  /** Id generator (tests may inject a deterministic one). */
  readonly ids?: IdGenerator;
  readonly logger?: Logger;
  /** Transient ENI state delays on the simulated clock (attaching, detaching, pending); default 0 = final at once. */
  readonly delays?: Partial<TransitionDelays>;
  /** BYOIP: how long ProvisionByoipCidr stays pending-provision on the simulated clock (AWS: up to a week); default 0. */
  readonly byoipProvisionDelayMs?: number;
  /**
   * Regions (issue 15): opt-in regions (af-south-1, ap-east-1 …) the emulated accounts have opted in to. Calls scoped
   * to an opt-in region not listed answer as AWS does for a region not enabled (EC2 AuthFailure). Default none.
   */
  readonly optInRegions?: readonly string[];
  // --- flow logs (issue 5) ---
  /**
   * Directory for flow logs with an `s3` destination (`<dir>/<bucket>/AWSLogs/…`). Default: `s3/` beside the data
   * file, or a fresh temporary directory for `:memory:`.
   */
  readonly s3Dir?: string;
  /**
   * Flow logs (issue 21): write NODATA records for covered interfaces without traffic (default true, as AWS does; one
   * record per quiet stretch, see domain/flow-log-status.ts). Tests that count exact flow records turn it off.
   */
  readonly flowLogNoData?: boolean;
  /** Web console (issue 6): allow actions from the console although `host` is not a loopback address. */
  readonly consoleActions?: boolean;
  // --- Authentication (issue 14) ---
  /**
   * "any" (default): any key works, a 12-digit key id is the account (else 000000000000), signatures are not checked.
   * "strict": every AWS request's SigV4 signature is verified against `credentialsFile`/`credentials` (and the
   * temporary credentials AssumeRole issued); the account is the key's `accountId`. Admin routes need the admin token.
   */
  readonly auth?: "any" | "strict";
  /** With auth "strict": an AWS shared-credentials file whose profiles set aws_access_key_id, aws_secret_access_key, aws_account_id. */
  readonly credentialsFile?: string;
  /** With auth "strict": keys given directly (tests), added to the file's. */
  readonly credentials?: readonly { readonly accessKeyId: string; readonly secretAccessKey: string; readonly accountId: string }[];
  /**
   * The admin API's token (`x-localvpc-token` header, or `?token=`). Default: none on a loopback host with auth "any";
   * generated (see `LocalVpc.adminToken`) on any other host and under auth "strict", where admin routes must not be
   * open to whoever can reach the port.
   */
  readonly adminToken?: string;
  /**
   * The account of requests whose access key id is not 12 digits (default 000000000000). Suites written for moto
   * expect 123456789012. Also the admin routes' and the console's default account.
   */
  readonly defaultAccount?: string;
  /** Host names the server answers for besides its own addresses and loopback names (`*`: any); see server/guard.ts. */
  readonly allowHosts?: readonly string[];
  /** Connection limits; defaults 20 s for headers, 120 s for a whole request, 1024 sockets. */
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly maxConnections?: number;
  /** ELBv2 (issue 17): how long a new load balancer stays `provisioning` on the simulated clock; default 0. */
  readonly loadBalancerProvisionMs?: number;
  /** EKS (issue 18): how long a cluster, node group or add-on stays CREATING (and an update InProgress); default 0. */
  readonly eksProvisionMs?: number;
  // --- images (issue 15) ---
  /** Refuse AMI ids in no catalogue and not registered (InvalidAMIID.NotFound); default: launch them as a generic image. */
  readonly strictImages?: boolean;
  /** AMIs to add to the built-in catalogue, in `aws ec2 describe-images --output json` form ({"Images": [...]}). */
  readonly imagesFile?: string;
}

/** The keys `--auth strict` verifies with; undefined for "any". Throws a message that says what to pass. */
const strictKeys = (options: LocalVpcOptions): KnownKey[] | undefined => {
  // Checked at run time too: JavaScript callers pass any string.
  const auth: string = options.auth ?? "any";
  if (auth !== "any" && auth !== "strict") throw new Error(`auth must be "any" or "strict", not "${auth}"`);
  const given = options.credentialsFile !== undefined || options.credentials !== undefined;
  if (auth === "any") {
    if (given) throw new Error('credentials are only used with auth "strict" (CLI: --auth strict --credentials FILE)');
    return undefined;
  }
  const keys: KnownKey[] = [
    ...(options.credentials ?? []),
    ...(options.credentialsFile ? loadCredentialsFile(options.credentialsFile) : []),
  ];
  if (keys.length === 0) {
    throw new Error(
      options.credentialsFile === undefined
        ? 'auth "strict" needs keys to verify signatures with: pass --credentials FILE (library: credentialsFile), an AWS shared-credentials file whose profiles set aws_access_key_id, aws_secret_access_key and aws_account_id'
        : `auth "strict": ${options.credentialsFile} has no profiles; each needs aws_access_key_id, aws_secret_access_key and aws_account_id`,
    );
  }
  checkKeys(keys);
  return keys;
};

export interface LocalVpc {
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly clock: SimulatedClock;
  /**
   * Flow logs' recorder (issue 5): `flowLogs.record` is the data-plane evaluator's FlowSink; `flowLogs.deliver()`
   * writes every capture window closed on the simulated clock (also done before CloudWatch Logs reads, on clock
   * advance and every few seconds). A library-level hook: tests may feed observations to it directly.
   */
  readonly flowLogs: FlowRecorder;
  /** Where `s3` flow-log destinations are written. */
  readonly s3Dir: string;
  /** The admin API's token, when admin routes need one (a non-loopback host, auth "strict", or the `adminToken` option). */
  readonly adminToken: string | undefined;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export const startLocalVpc = async (options: LocalVpcOptions = {}): Promise<LocalVpc> => {
  const host = options.host ?? "127.0.0.1";
  // Authentication (issue 14): a bad --auth/--credentials stops the start before anything is opened.
  const keys = strictKeys(options);
  // Images (issue 15): a bad --images file stops the start before anything is opened.
  const fileImages = options.imagesFile === undefined ? [] : loadImagesFile(options.imagesFile);
  const defaultAccount = options.defaultAccount ?? DEFAULT_ACCOUNT;
  if (!/^\d{12}$/.test(defaultAccount)) throw new Error(`defaultAccount must be 12 digits, not '${defaultAccount}'`);
  if (options.adminToken !== undefined && !/^[\x21-\x7e]{8,256}$/.test(options.adminToken)) {
    throw new Error("adminToken must be 8 to 256 printable ASCII characters without spaces");
  }
  // Like Jupyter's: whoever can reach a non-loopback port, or a server that checks signatures, must not get the admin
  // routes (reset, any account's state, chaos) for free.
  const adminToken =
    options.adminToken ?? (!isLoopbackHost(host) || keys !== undefined ? randomBytes(24).toString("base64url") : undefined);
  const guard = new RequestGuard({ host, allowHosts: options.allowHosts, token: adminToken });
  const logger = options.logger ?? pino({ level: options.logLevel ?? "silent" });
  const store = new Store(options.data ?? ":memory:");
  const clock = new SimulatedClock();
  // Images (issue 15): --images FILE joins the built-in catalogue (a bad file stops the start); unknown AMI ids are
  // generic images unless --strict-images, each logged once (bounded, so a client cannot grow the set forever).
  const builtins = loadCatalog();
  const catalog = { ...builtins, images: new Map([...builtins.images, ...fileImages.map((i) => [i.imageId, i] as const)]) };
  const genericLogged = new Set<string>();
  const onGenericImage = (imageId: string): void => {
    if (genericLogged.has(imageId) || genericLogged.size >= 1000) return;
    genericLogged.add(imageId);
    logger.warn(
      { imageId },
      "unknown AMI id: launched as a generic x86_64 image (serve --strict-images refuses it; --images FILE describes it)",
    );
  };
  const optedInRegions = optInRegionSet(options.optInRegions);
  const feed = new ChangeFeed();
  const ec2 = new Ec2Service({
    store,
    ids: options.ids ?? randomIds(),
    now: clock.now,
    catalog,
    quotas: { ...DEFAULT_QUOTAS, ...options.quotas },
    deniedActions: new Set(options.deniedActions ?? []),
    onInternalError: (e, requestId) => logger.error({ requestId, err: e }, "internal error"),
    delays: { ...NO_DELAYS, ...options.delays },
    byoipProvisionDelayMs: options.byoipProvisionDelayMs ?? 0,
    images: { strict: options.strictImages ?? false, onGenericImage }, // issue 15
    optedInRegions,
    // Chaos (issue 15): DescribeInstanceStatus reads the runtime's impaired set through this callback (the engine is
    // built below; the callback runs only when a request arrives).
    impairedSince: (instanceId) => trafficEngine.impairedSince(instanceId),
    // Reachability Analyzer (issue 21): analyses run on the same evaluator as `traffic send`.
    reachability: (tx, scope, nowMs, probe) => trafficEngine.analyze(tx, scope, nowMs, probe),
  });
  // --- flow logs (issue 5): recorder, CloudWatch Logs, S3 directory ---
  const data = options.data ?? ":memory:";
  let s3Dir = options.s3Dir ?? (data === ":memory:" ? undefined : join(dirname(data), "s3"));
  const s3DirNow = (): string => (s3Dir ??= mkdtempSync(join(tmpdir(), "localvpc-s3-")));
  const flowLogs = new FlowRecorder({
    store,
    now: clock.now,
    s3Dir: s3DirNow,
    onError: (e) => logger.error({ err: e }, "flow logs: delivery, persistence or restore failed"),
    noData: options.flowLogNoData ?? true, // issue 21
    awsServiceOf: (address) => awsServiceOf(awsServiceRanges(), address), // issue 21
    isNitroType: (t) => {
      const info = catalog.instanceTypes.get(t);
      return info?.Hypervisor === "nitro" || info?.BareMetal === true;
    },
  });
  const logs = new LogsService({
    logs: store.logs,
    now: clock.now,
    beforeRead: () => flowLogs.deliver(),
    onInternalError: (e, requestId) => logger.error({ requestId, err: e }, "internal error"),
  });
  clock.onAdvance(() => flowLogs.deliver());
  // The simulated clock's offset is state like any other: BYOIP provisioning, advertising throttles and LaunchTimes
  // depend on it, so it survives a restart (kept in the store's meta table, reset with it).
  const savedOffset = Number(store.getMeta(CLOCK_OFFSET_META) ?? "0");
  if (Number.isFinite(savedOffset) && savedOffset > 0) clock.offsetMs = savedOffset;
  clock.onAdvance(() => store.setMeta(CLOCK_OFFSET_META, String(clock.offsetMs)));
  // Flow-log windows still open at the last stop (issue 14): persisted on the delivery timer and at close.
  const pendingFlows = store.getMeta(PENDING_META);
  if (pendingFlows) flowLogs.restore(pendingFlows);
  flowLogs.start(5_000);
  // data plane × flow logs × BYOIP (issue 5): one engine, so that an admin reset also forgets its failed instances,
  // tracked connections and ENI placements.
  const trafficEngine = new TrafficEngine({
    sink: flowLogs.record,
    internetRouting: awsReceives,
    internetRouteExplanation: whyNotRoutedToAws,
    // ELBv2 (issue 17): a packet reaching a load balancer goes on to the target its listener picks.
    loadBalancers: (tx, scope, now, eniId, port, proto) => loadBalancerForwarding(tx, scope, now, elbHealth, eniId, port, proto),
  });
  const reset = (): void => {
    store.reset();
    ec2.forgetScopes();
    clock.offsetMs = 0;
    flowLogs.reset();
    trafficEngine.reset();
  };
  const defaults = { account: defaultAccount, region: DEFAULT_REGION };
  const resetRoute = (path: string): AdminRoute => ({
    method: "POST",
    path,
    summary: "reset",
    handle: (req) => {
      // `{"account": ID}` forgets that account only (every region); an empty body forgets everything.
      const account = (req.body as { account?: unknown }).account;
      if (account === undefined) {
        reset();
        return { status: "ok" };
      }
      if (typeof account !== "string" || !/^\d{12}$/.test(account))
        throw err.invalidAwsAccountId(typeof account === "string" ? account : JSON.stringify(account));
      store.resetAccount(account);
      ec2.forgetScopes();
      return { status: "ok", account };
    },
  });
  const admin: AdminRoute[] = [
    { method: "GET", path: "/_localvpc/health", handle: () => ({ status: "ok", service: "localvpc", version: VERSION, data: store.path }) },
    resetRoute("/_localvpc/reset"),
    // moto's server-mode reset, so suites written for moto run unchanged.
    resetRoute("/moto-api/reset"),
    {
      method: "GET",
      path: "/_localvpc/state",
      // The dump shows the account as a caller would see it: bootstrapped (default VPC …) on first sight.
      handle: (req) => {
        const scope = { account: req.query.get("account") ?? defaultAccount, region: req.query.get("region") ?? DEFAULT_REGION };
        // BYOIP's world scope (registry, internet) is not an AWS account: dumped as is, never bootstrapped. Only a real
        // account and region become a scope: any other string would otherwise create one.
        if (scope.account !== WORLD_SCOPE.account) {
          if (!/^\d{12}$/.test(scope.account)) throw err.invalidAwsAccountId(scope.account);
          if (!isAwsRegion(scope.region)) throw err.regionNotFound(scope.region);
          ec2.ensureScope(scope);
        }
        return store.dump(scope);
      },
    },
    {
      method: "POST",
      path: "/_localvpc/clock/advance",
      summary: "clock advanced",
      handle: (req) => {
        const ms = (req.body as { ms?: unknown }).ms;
        // At most a century at a time: the clock must stay a valid date (a larger jump is no test of anything).
        if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > MAX_CLOCK_ADVANCE_MS) throw err.clockAdvanceBody();
        if (!clock.advance(ms)) throw err.clockAdvanceBody();
        return { offsetMs: clock.offsetMs, now: clock.now().toISOString() };
      },
    },
    { method: "GET", path: "/_localvpc/clock", handle: () => ({ offsetMs: clock.offsetMs, now: clock.now().toISOString() }) },
    ...managedEniRoutes(ec2, defaults),
    // EKS (issue 18): pods scheduled through the VPC CNI simulation, max pods per instance type.
    ...eksRoutes(ec2, defaults, options.eksProvisionMs),
    ...byoipWorldRoutes({ store, now: clock.now }),
    // data plane (issue 5): traffic send/advise, chaos
    // The data plane records what each ENI sees into flow logs, and reaches BYOIP addresses from the internet only
    // where the internet's BGP view routes them to AWS.
    // Console live panels (issue 6): every verdict goes on the SSE feed as a `verdict` event.
    ...trafficRoutes(ec2, defaults, trafficEngine, (v) => feed.publishVerdict(v)),
    ...flowLogChaosRoutes(ec2, defaults, flowLogs), // issue 21: SKIPDATA
    ...bandwidthRoutes(ec2, defaults, trafficEngine), // issue 21: throughput of flows with a rate
    // Web console (issue 6): static app, config, scopes, and the SSE feed GET /_localvpc/events.
    ...consoleRoutes({ feed, listScopes: () => store.listScopes(), defaults, host, allowActions: options.consoleActions === true }),
    // Web console scenarios (issue 6): list, and run one in-process against this server (progress on the SSE feed).
    ...scenarioRoutes({
      feed,
      defaults,
      host,
      readOnly: isConsoleReadOnly(host, options.consoleActions),
      endpoint: () => selfUrl(server),
      adminToken,
    }),
  ];
  // Lambda (issue 17): functions and their Hyperplane ENIs live in the EC2 store; unused ENIs go on the clock.
  const lambda = new LambdaService({
    ec2,
    now: clock.now,
    scopes: () => store.listScopes(),
    onInternalError: (e, requestId) => logger.error({ requestId, err: e }, "internal error"),
  });
  clock.onAdvance(() => lambda.settleAll());
  // ELBv2 (issue 17): a target's health check is one probe from a load balancer's ENI through the data plane.
  const elbHealth: HealthProbe = (tx, scope, now, from, to, port) => {
    try {
      const v = trafficEngine.send(tx, scope, now.getTime(), { from, to, proto: "tcp", port });
      return v.delivered && (v.reply?.delivered ?? true);
    } catch {
      return false; // an address the data plane cannot place answers no health check
    }
  };
  // One dispatcher for every AWS service localvpc emulates; the server knows only it and the admin routes.
  const dispatcher = new Dispatcher({
    services: [
      ec2.definition,
      logs.definition,
      lambda.definition,
      // ELBv2 (issue 17): load balancers in the EC2 store; target health is a health-check probe through the data plane.
      elbv2Service({
        ec2,
        provisionMs: options.loadBalancerProvisionMs,
        health: elbHealth,
        onInternalError: (e, requestId) => logger.error({ requestId, err: e }, "internal error"),
      }),
      // EKS (issue 18): clusters, node groups and add-ons in the EC2 store; nodes are EC2 instances.
      eksService({
        ec2,
        now: clock.now,
        provisionMs: options.eksProvisionMs,
        onInternalError: (e, requestId) => logger.error({ requestId, err: e }, "internal error"),
      }),
      stsService({
        store: store.sts,
        now: clock.now,
        onInternalError: (e, requestId) => logger.error({ requestId, err: e }, "internal error"),
      }),
      // IAM's GetUser only (Ansible's fallback for the account id); the rest of IAM is not emulated.
      iamService({
        sts: store.sts,
        now: clock.now,
        onInternalError: (e, requestId) => logger.error({ requestId, err: e }, "internal error"),
      }),
    ],
    sts: store.sts,
    defaultAccount,
    now: clock.now,
    regionEnabled: (region) => regionEnabled(region, optedInRegions),
    // Authentication (issue 14): --auth strict verifies every AWS request's SigV4 signature (real time, not the simulated clock).
    verifier:
      keys &&
      adminVerifier(
        guard,
        new SigV4Verifier({
          keys,
          sts: store.sts,
          onMismatch: (m) => logger.debug(m, "SignatureDoesNotMatch: the canonical request localvpc computed"),
        }),
      ),
  });
  if (keys) logger.info({ auth: "strict", keys: keys.length }, "SigV4 signatures are verified (--auth strict)");
  const server = createHttpServer(
    { dispatcher, logger, admin, guard, onChange: (c) => feed.publish(c) },
    {
      headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_CONNECTION_LIMITS.headersTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_CONNECTION_LIMITS.requestTimeoutMs,
      maxConnections: options.maxConnections ?? DEFAULT_CONNECTION_LIMITS.maxConnections,
    },
  );
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4599, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closed = false;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    clock,
    flowLogs,
    get s3Dir() {
      return s3DirNow();
    },
    adminToken,
    reset: () => {
      reset();
      return Promise.resolve();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      flowLogs.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // After the server: no request records traffic any more, so the snapshot is the final state.
      flowLogs.persist();
      store.close();
    },
  };
};

/**
 * Under auth "strict", the console signs nothing (it has no keys): a request that carries the admin token is the
 * operator's, in the account and region its credential scope names. Every other request's signature is verified.
 */
const adminVerifier = (guard: RequestGuard, sigV4: SigV4Verifier): RequestVerifier => ({
  verify: (req, service) => (guard.tokenMatches(req.headers, req.url) ? {} : sigV4.verify(req, service)),
});

export type { Quotas } from "./domain/quotas.js";
