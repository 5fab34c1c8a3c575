import { createRequire } from "node:module";
import { configureFromRequest } from "./config";

type VariablesMap = { forEach(callback: (value: string, key: string) => void): void };
type ConfigureCall = { request: { getVariablesMap(): VariablesMap } };
type Handler = (
  call: ConfigureCall,
  callback: (error: unknown, response?: unknown) => void,
) => void;
type ServiceImplementation = Record<string, unknown> & { configure?: Handler };
type GrpcServer = {
  prototype: { addService(service: unknown, implementation: ServiceImplementation): void };
};

/**
 * Makes the plugin read the arguments of the Configure call. The `@pulumi/pulumi/provider` host
 * answers Configure itself and drops its arguments (an explicit provider's `apiUrl` would never
 * reach the provider), and `provider.main` offers no hook for it. Its gRPC server is the
 * `@grpc/grpc-js` that @pulumi/pulumi loads, so the service implementation it registers is wrapped
 * on the way in: Configure first stores the request's variables, then the host answers as before.
 * Call once, before `provider.main`.
 */
export function readConfigureRequests(): void {
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/provider"));
  const grpc = fromPulumi("@grpc/grpc-js") as { Server: GrpcServer };
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    const configure = implementation.configure;
    if (typeof configure === "function") {
      implementation.configure = (call, callback) => {
        const variables: Record<string, string> = {};
        call.request.getVariablesMap().forEach((value, key) => {
          variables[key] = value;
        });
        configureFromRequest(variables);
        configure.call(implementation, call, callback);
      };
    }
    addService.call(this, service, implementation);
  };
}
