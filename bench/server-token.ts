// Token minting throughput of the grant server, as ratios against GET /healthz measured in the
// same run: the baseline is the cost of a request through Fastify, the management guard and the
// error hook with no work behind it, so a ratio shows what signing and the store add on top.
// Scenarios run in alternating rounds against one server on loopback, so slow drift of the
// machine hits every scenario alike.
//
// Two peers run in the same rounds, for RS256 and ES256: the floor, a bare node:http server that
// only signs the same claims with the same algorithm and an already imported key (no routing, no
// client authentication, no store), and node-oidc-provider configured for client_credentials with
// JWT access tokens, the peer a self-hoster would pick. Their ratios are printed last.
//
// Run: npm run build && node bench/server-token.ts [requestsPerRound] [rounds] [concurrency]
// Node 24 strips the types and runs this file as CommonJS (the package's type), so values are
// loaded with import(): the compiled server from dist/, as users would run it.
import type { RequestListener } from "node:http";
import type * as Server from "../server/index";

const REQUESTS_PER_ROUND = Math.min(Math.max(Number(process.argv[2] ?? 500), 1), 10_000);
const ROUNDS = Math.min(Math.max(Number(process.argv[3] ?? 5), 1), 20);
const CONCURRENCY = Math.min(Math.max(Number(process.argv[4] ?? 8), 1), 64);
const WARMUP_REQUESTS = 100;

interface Scenario {
  name: string;
  send: () => Promise<number>;
}

async function main(): Promise<void> {
  const { mkdtemp, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const { performance } = await import("node:perf_hooks");
  const root = path.resolve(__dirname, "..");
  const { startServer } = (await import(path.join(root, "dist/server/index.js"))) as typeof Server;
  const { Agent, request } = await import("undici");

  const dataDir = await mkdtemp(path.join(tmpdir(), "grants-bench-"));
  const server = await startServer({
    dataDir,
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent",
    rateLimitPerMinute: 0,
  });
  const agent = new Agent({ connections: CONCURRENCY });
  const admin = { authorization: `Bearer ${server.adminToken}` };
  const json = { ...admin, "content-type": "application/json" };

  async function send(
    method: "GET" | "POST",
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<number> {
    const response = await request(`${server.url}${path}`, {
      method,
      headers,
      body,
      dispatcher: agent,
    });
    await response.body.dump();
    return response.statusCode;
  }

  async function setUp(algorithm: "RS256" | "ES256") {
    const providerResponse = await request(`${server.url}/v1/providers`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({
        name: `Bench ${algorithm}`,
        description: "bench",
        signingAlgorithm: algorithm,
      }),
      dispatcher: agent,
    });
    const provider = (await providerResponse.body.json()) as { id: string; issuer: string };
    const clientResponse = await request(`${server.url}/v1/providers/${provider.id}/clients`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ name: "bench-client", audience: "https://api.bench.test" }),
      dispatcher: agent,
    });
    const client = (await clientResponse.body.json()) as { id: string; clientSecret: string };
    await send(
      "POST",
      "/api/v2/client-grants",
      json,
      JSON.stringify({ client_id: client.id, audience: "https://api.bench.test", scope: ["read"] }),
    );
    const issuerPath = new URL(provider.issuer).pathname;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.id,
      client_secret: client.clientSecret,
      audience: "https://api.bench.test",
    }).toString();
    return {
      mint: () =>
        send("POST", `/v1/providers/${provider.id}/clients/${client.id}/tokens`, json, "{}"),
      clientCredentials: () =>
        send(
          "POST",
          `${issuerPath}/oauth/token`,
          { "content-type": "application/x-www-form-urlencoded" },
          form,
        ),
      jwks: () => send("GET", `${issuerPath}/.well-known/jwks`, {}),
      token: () => tokenOf(`${issuerPath}/oauth/token`, form),
      form,
    };
  }

  const rs = await setUp("RS256");
  const es = await setUp("ES256");
  const jose = await import("jose");
  const http = await import("node:http");
  const peers: { close(): Promise<void> }[] = [];

  /** The claims the grant server puts in a client_credentials token, from one real token. */
  async function grantClaims(issue: () => Promise<string>) {
    return jose.decodeJwt(await issue()) as Record<string, unknown>;
  }
  async function tokenOf(path: string, form: string): Promise<string> {
    const response = await request(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
      dispatcher: agent,
    });
    return ((await response.body.json()) as { access_token: string }).access_token;
  }

  // The floor: read the body, sign the same claims (fresh iat/exp/jti), answer JSON. It is sent
  // the grant server's own token request body, so both cost the client the same to send.
  async function bareSigner(
    algorithm: "RS256" | "ES256",
    claims: Record<string, unknown>,
    form: string,
  ) {
    const { privateKey } = await jose.generateKeyPair(algorithm);
    const { iat: _iat, exp: _exp, jti: _jti, ...fixed } = claims;
    const srv = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const now = Math.floor(Date.now() / 1000);
        void new jose.SignJWT({ ...fixed, jti: crypto.randomUUID() })
          .setProtectedHeader({ alg: algorithm, typ: "at+jwt", kid: "bench" })
          .setIssuedAt(now)
          .setExpirationTime(now + 3600)
          .sign(privateKey)
          .then((token) => {
            res.setHeader("content-type", "application/json");
            res.end(
              JSON.stringify({ access_token: token, token_type: "Bearer", expires_in: 3600 }),
            );
          });
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
    peers.push({ close: () => new Promise((resolve) => srv.close(() => resolve())) });
    const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/token`;
    return () => sendTo(url, form, { "content-type": "application/x-www-form-urlencoded" });
  }

  // node-oidc-provider: client_credentials, resource indicators, JWT access tokens.
  async function oidcProvider(algorithm: "RS256" | "ES256") {
    // oidc-provider ships no types; a variable specifier keeps tsc from resolving it.
    const oidcProviderModule = "oidc-provider";
    const { default: Provider } = (await import(oidcProviderModule)) as {
      default: new (issuer: string, configuration: object) => { callback(): RequestListener };
    };
    const { privateKey } = await jose.generateKeyPair(algorithm, { extractable: true });
    const jwk = { ...(await jose.exportJWK(privateKey)), alg: algorithm, use: "sig", kid: "bench" };
    const srv = http.createServer();
    await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
    const issuer = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: "bench",
          client_secret: "bench-secret-bench-secret-bench-secret",
          grant_types: ["client_credentials"],
          redirect_uris: [],
          response_types: [],
          token_endpoint_auth_method: "client_secret_post",
          // The default (RS256) would need an RSA key in the ES256 run.
          id_token_signed_response_alg: algorithm,
        },
      ],
      jwks: { keys: [jwk] },
      ttl: { ClientCredentials: 3600 },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => "https://api.bench.test",
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({
            scope: "read",
            audience: "https://api.bench.test",
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: algorithm } },
          }),
        },
      },
    });
    srv.on("request", provider.callback());
    peers.push({ close: () => new Promise((resolve) => srv.close(() => resolve())) });
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: "bench",
      client_secret: "bench-secret-bench-secret-bench-secret",
      resource: "https://api.bench.test",
      scope: "read",
    }).toString();
    return () =>
      sendTo(`${issuer}/token`, form, { "content-type": "application/x-www-form-urlencoded" });
  }

  async function sendTo(url: string, body: string, headers: Record<string, string>) {
    const response = await request(url, { method: "POST", headers, body, dispatcher: agent });
    await response.body.dump();
    return response.statusCode;
  }

  const rsBare = await bareSigner("RS256", await grantClaims(rs.token), rs.form);
  const esBare = await bareSigner("ES256", await grantClaims(es.token), es.form);
  const rsOidc = await oidcProvider("RS256");
  const esOidc = await oidcProvider("ES256");
  const scenarios: Scenario[] = [
    { name: "GET /healthz (baseline)", send: () => send("GET", "/healthz", {}) },
    { name: "GET <issuer>/.well-known/jwks", send: rs.jwks },
    { name: "POST /v1/.../tokens RS256", send: rs.mint },
    { name: "POST /v1/.../tokens ES256", send: es.mint },
    { name: "POST <issuer>/oauth/token RS256", send: rs.clientCredentials },
    { name: "POST <issuer>/oauth/token ES256", send: es.clientCredentials },
    { name: "bare signer RS256", send: rsBare },
    { name: "bare signer ES256", send: esBare },
    { name: "node-oidc-provider RS256", send: rsOidc },
    { name: "node-oidc-provider ES256", send: esOidc },
  ];

  // A bounded pool: `count` requests, at most CONCURRENCY in flight; any non-2xx aborts the run.
  async function run(scenario: Scenario, count: number): Promise<number> {
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < count) {
        next++;
        const status = await scenario.send();
        if (status < 200 || status > 299) throw new Error(`${scenario.name} answered ${status}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
    return performance.now() - started;
  }

  try {
    for (const scenario of scenarios) await run(scenario, WARMUP_REQUESTS);
    const elapsed = new Map<string, number>(scenarios.map((scenario) => [scenario.name, 0]));
    // Each round's times too: a ratio per round shows how far one measurement strays.
    const rounds: Map<string, number>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const times = new Map<string, number>();
      for (const scenario of scenarios) {
        const ms = await run(scenario, REQUESTS_PER_ROUND);
        times.set(scenario.name, ms);
        elapsed.set(scenario.name, elapsed.get(scenario.name)! + ms);
      }
      rounds.push(times);
    }
    const total = REQUESTS_PER_ROUND * ROUNDS;
    const perSecond = (name: string) => (total / elapsed.get(name)!) * 1000;
    const baseline = perSecond(scenarios[0]!.name);
    console.log(
      `grants-server token throughput: ${ROUNDS} rounds × ${REQUESTS_PER_ROUND} requests, ${CONCURRENCY} in flight, loopback, node ${process.version}`,
    );
    console.log(`${"scenario".padEnd(36)} ${"req/s".padStart(9)} ${"× baseline".padStart(11)}`);
    for (const scenario of scenarios) {
      const rate = perSecond(scenario.name);
      console.log(
        `${scenario.name.padEnd(36)} ${rate.toFixed(0).padStart(9)} ${(rate / baseline).toFixed(3).padStart(11)}`,
      );
    }
    // Throughput ratio of two scenarios in one round: the other's time over the grant server's.
    const perRound = (grants: string, peer: string) =>
      rounds.map((times) => times.get(peer)! / times.get(grants)!).sort((a, b) => a - b);
    const spread = (ratios: number[]) =>
      `rounds ${ratios[0]!.toFixed(2)}–${ratios[ratios.length - 1]!.toFixed(2)}`;
    for (const algorithm of ["RS256", "ES256"]) {
      const name = `POST <issuer>/oauth/token ${algorithm}`;
      const grants = perSecond(name);
      const bare = `bare signer ${algorithm}`;
      const oidc = `node-oidc-provider ${algorithm}`;
      console.log(
        `client_credentials ${algorithm}: grants server ${(grants / perSecond(bare)).toFixed(2)}× the bare signer (${spread(perRound(name, bare))}), ` +
          `${(grants / perSecond(oidc)).toFixed(2)}× node-oidc-provider (${spread(perRound(name, oidc))})`,
      );
    }
  } finally {
    await Promise.all(peers.map((peer) => peer.close()));
    await agent.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
