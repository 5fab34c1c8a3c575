import { spawn } from "node:child_process";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as providerGrpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerProtoTypes from "@pulumi/pulumi/proto/provider_pb";
import type * as structProtoTypes from "google-protobuf/google/protobuf/struct_pb";
import { repoRequire } from "./provider-package";
import { projectRoot } from "./pulumi-engine";

// Loaded with Node's require from the repository, the same copies the host process uses.
const grpc = repoRequire("@grpc/grpc-js") as typeof grpcTypes;
const providerGrpc = repoRequire(
  "@pulumi/pulumi/proto/provider_grpc_pb",
) as typeof providerGrpcTypes;
const proto = repoRequire("@pulumi/pulumi/proto/provider_pb") as typeof providerProtoTypes;
const structProto = repoRequire(
  "google-protobuf/google/protobuf/struct_pb",
) as typeof structProtoTypes;

type Props = Record<string, unknown>;

export type DiffChanges = "unknown" | "none" | "some";

/**
 * `@pulumi/pulumi/cmd/dynamic-provider` in a child process, driven over gRPC exactly as the
 * engine drives it (reference §3b): the serialized provider travels in `__provider`.
 */
export interface DynamicProviderHost {
  configure(config: Readonly<Record<string, string>>): Promise<void>;
  check(
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(
    id: string,
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: DiffChanges; replaces: string[] }>;
  create(urn: string, properties: Props): Promise<{ id: string; properties: Props }>;
  read(
    id: string,
    urn: string,
    properties: Props,
  ): Promise<{ id: string; properties: Props; inputs?: Props }>;
  update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  delete(id: string, urn: string, properties: Props): Promise<void>;
  /** Everything the host process wrote to stdout and stderr. */
  output(): string;
  close(): Promise<void>;
}

export interface HostOptions {
  /** The plugin's working directory (the Pulumi project); default the repository. */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export async function startDynamicProviderHost(
  options: HostOptions = {},
): Promise<DynamicProviderHost> {
  const entry = repoRequire.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  const env: Record<string, string | undefined> = {
    ...process.env,
    PULUMI_NODEJS_PROJECT: "grpc-test",
    ...options.env,
  };
  // The engine address is only checked for presence.
  const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
    cwd: options.cwd ?? projectRoot,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`dynamic-provider host did not start:\n${output}`)),
      30_000,
    );
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^(\d+)\s*$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`dynamic-provider host exited with ${code}:\n${output}`));
    });
  });
  const client = new providerGrpc.ResourceProviderClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );

  function call<Req, Res>(method: string, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      const fn = (
        client as unknown as Record<
          string,
          (request: Req, callback: (error: Error | null, response: Res) => void) => void
        >
      )[method]!.bind(client);
      fn(request, (error: Error | null, response: Res) =>
        error ? reject(error) : resolve(response),
      );
    });
  }
  const struct = (value: Props) =>
    structProto.Struct.fromJavaScript(value as Record<string, structProtoTypes.JavaScriptValue>);
  const plain = (value: structProtoTypes.Struct | undefined) =>
    (value?.toJavaScript() ?? {}) as Props;

  return {
    async configure(config) {
      await call("configure", new proto.ConfigureRequest().setArgs(struct(config)));
    },
    async check(urn, olds, news) {
      const response = await call<unknown, providerProtoTypes.CheckResponse>(
        "check",
        new proto.CheckRequest().setUrn(urn).setOlds(struct(olds)).setNews(struct(news)),
      );
      return {
        inputs: plain(response.getInputs()),
        failures: response
          .getFailuresList()
          .map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, urn, olds, news) {
      const response = await call<unknown, providerProtoTypes.DiffResponse>(
        "diff",
        new proto.DiffRequest().setId(id).setUrn(urn).setOlds(struct(olds)).setNews(struct(news)),
      );
      const changes = response.getChanges();
      const DiffChanges = proto.DiffResponse.DiffChanges;
      return {
        changes:
          changes === DiffChanges.DIFF_SOME
            ? "some"
            : changes === DiffChanges.DIFF_NONE
              ? "none"
              : "unknown",
        replaces: response.getReplacesList(),
      };
    },
    async create(urn, properties) {
      const response = await call<unknown, providerProtoTypes.CreateResponse>(
        "create",
        new proto.CreateRequest().setUrn(urn).setProperties(struct(properties)),
      );
      return { id: response.getId(), properties: plain(response.getProperties()) };
    },
    async read(id, urn, properties) {
      const response = await call<unknown, providerProtoTypes.ReadResponse>(
        "read",
        new proto.ReadRequest().setId(id).setUrn(urn).setProperties(struct(properties)),
      );
      const inputs = response.getInputs();
      return {
        id: response.getId(),
        properties: plain(response.getProperties()),
        ...(inputs === undefined ? {} : { inputs: plain(inputs) }),
      };
    },
    async update(id, urn, olds, news) {
      const response = await call<unknown, providerProtoTypes.UpdateResponse>(
        "update",
        new proto.UpdateRequest().setId(id).setUrn(urn).setOlds(struct(olds)).setNews(struct(news)),
      );
      return { properties: plain(response.getProperties()) };
    },
    async delete(id, urn, properties) {
      await call(
        "delete",
        new proto.DeleteRequest().setId(id).setUrn(urn).setProperties(struct(properties)),
      );
    },
    output: () => output,
    async close() {
      client.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill();
        await exited;
      }
    },
  };
}
