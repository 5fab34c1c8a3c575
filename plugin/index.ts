#!/usr/bin/env node
// The resource plugin `pulumi-resource-grants`: the engine starts it (through the wrapper script
// beside this package's plugin/ directory) and talks to it over gRPC.
import * as provider from "@pulumi/pulumi/provider";
import { readConfigureRequests } from "./configure-request";
import { grantsProvider } from "./provider";

readConfigureRequests();
void provider.main(grantsProvider(), process.argv.slice(2));
