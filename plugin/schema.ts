import { z } from "zod";
import { settingSources } from "../provider/config";
import type { NativeFunction } from "./functions";
import { nativeFunctions } from "./functions";
import type { NativeResource } from "./resources";
import { nativeResources } from "./resources";

/**
 * The Pulumi package schema, generated from the zod contract (never written by hand): each
 * resource's and function's zod inputs and outputs go through `z.toJSONSchema`, and each JSON
 * Schema property becomes a Pulumi property. Constraints Pulumi's schema has no words for
 * (lengths, patterns, ranges, enums) are written into the description, and `check` enforces them.
 */
export function packageSchema(version: string): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const resource of nativeResources) resources[resource.token] = resourceSpec(resource);
  const functions: Record<string, unknown> = {};
  for (const fn of nativeFunctions) functions[fn.token] = functionSpec(fn);
  const variables: Record<string, unknown> = {};
  for (const [name, source] of Object.entries(settingSources)) {
    variables[name] = {
      type: "string",
      description: `${source.configKey}; falls back to the ${source.envVar} environment variable. Example: ${source.example}.`,
      ...(source.secret ? { secret: true } : {}),
    };
  }
  return {
    name: "grants",
    displayName: "pulumi-grants",
    version,
    description:
      "Machine-to-machine access as code: OIDC issuers, OAuth clients and client grants.",
    license: "Apache-2.0",
    keywords: ["oauth", "oidc", "auth0", "category/utility", "kind/native"],
    config: { variables },
    // An explicit provider (pulumi:providers:grants) takes the same settings as arguments; the
    // plugin reads them from the Configure call (plugin/configure-request.ts).
    provider: {
      description:
        "The grants provider. The default provider reads the `grants:*` stack config; an explicit provider reads its own arguments. Unset settings fall back to the environment.",
      inputProperties: variables,
    },
    resources,
    functions,
    language: {
      nodejs: { packageName: "@pulumi-grants/native", dependencies: { "@pulumi/pulumi": "^3" } },
      python: {
        packageName: "pulumi_grants",
        requires: { pulumi: ">=3.0.0,<4.0.0" },
        // pyproject.toml instead of setup.py: `pip install ./sdk-gen/python` needs no setuptools
        // script, and the SDK's version is the package's (not a dev placeholder).
        pyproject: { enabled: true },
        respectSchemaVersion: true,
      },
      go: {
        importBasePath: "github.com/pulumi-grants/pulumi-grants/sdk-gen/go/grants",
        generateResourceContainerTypes: false,
        respectSchemaVersion: true,
      },
    },
  };
}

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  description?: string;
  secret?: boolean;
};

function objectOf(schema: z.ZodObject, io: "input" | "output") {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  const properties: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(json.properties ?? {})) {
    properties[key] = propertySpec(property);
  }
  return { properties, required: [...(json.required ?? [])].sort() };
}

function resourceSpec(resource: NativeResource) {
  const inputs = objectOf(resource.inputs, "input");
  const outputs = objectOf(resource.outputs, "output");
  // Every input is also an output (a resource's state holds its inputs).
  return {
    description: resource.description,
    inputProperties: inputs.properties,
    requiredInputs: inputs.required,
    properties: outputs.properties,
    required: outputs.required,
  };
}

function functionSpec(fn: NativeFunction) {
  const inputs = objectOf(fn.inputs, "input");
  const outputs = objectOf(fn.outputs, "output");
  return {
    description: fn.description,
    inputs: { properties: inputs.properties, required: inputs.required },
    outputs: { properties: outputs.properties, required: outputs.required },
  };
}

function propertySpec(property: JsonSchema): Record<string, unknown> {
  const notes = constraintNotes(property);
  const description = [property.description, ...notes].filter(Boolean).join(" ");
  const spec: Record<string, unknown> = { ...typeOf(property) };
  if (description !== "") spec["description"] = description;
  if (property.secret === true) spec["secret"] = true;
  const fallback = property.default;
  if (
    typeof fallback === "string" ||
    typeof fallback === "boolean" ||
    typeof fallback === "number"
  ) {
    spec["default"] = fallback;
  }
  return spec;
}

function typeOf(property: JsonSchema): Record<string, unknown> {
  if (property.type === "array") {
    return {
      type: "array",
      items: property.items ? typeOf(property.items) : { $ref: "pulumi.json#/Any" },
    };
  }
  if (
    property.type === "string" ||
    property.type === "boolean" ||
    property.type === "integer" ||
    property.type === "number"
  ) {
    return { type: property.type };
  }
  if (property.enum !== undefined && property.enum.every((value) => typeof value === "string")) {
    return { type: "string" };
  }
  return { $ref: "pulumi.json#/Any" };
}

function constraintNotes(property: JsonSchema): string[] {
  const notes: string[] = [];
  const items = property.type === "array" ? property.items : undefined;
  const target = items ?? property;
  const prefix = items === undefined ? "" : "Each item: ";
  const parts: string[] = [];
  if (target.enum !== undefined)
    parts.push(`one of ${target.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  if (target.minLength !== undefined && target.maxLength !== undefined) {
    parts.push(`${target.minLength}–${target.maxLength} characters`);
  } else if (target.minLength === 1) {
    parts.push("not empty");
  } else if (target.minLength !== undefined) {
    parts.push(`at least ${target.minLength} characters`);
  } else if (target.maxLength !== undefined) {
    parts.push(`at most ${target.maxLength} characters`);
  }
  if (target.minimum !== undefined && target.maximum !== undefined) {
    parts.push(`${target.minimum}–${target.maximum}`);
  }
  if (target.pattern !== undefined) parts.push(`matching \`${target.pattern}\``);
  if (parts.length > 0) notes.push(`${prefix}${parts.join(", ")}.`);
  if (property.default !== undefined) notes.push(`Default: ${JSON.stringify(property.default)}.`);
  return notes;
}
