import type { ResourceValidationArgs } from "@pulumi/policy";

/** `Client` or `ClientGrant` for a grants resource (dynamic or native type), else undefined. */
export function grantsKindOf(type: string): "Provider" | "Client" | "ClientGrant" | undefined {
  const match = /(?:^|\/|:)grants:(?:index:)?(Provider|Client|ClientGrant)$/.exec(type);
  return match?.[1] as "Provider" | "Client" | "ClientGrant" | undefined;
}

/**
 * The message of every violation: the resource, the field and the rule, so a failed preview
 * says what to change without opening the pack.
 */
export function violation(
  args: Pick<ResourceValidationArgs, "type" | "name">,
  field: string,
  rule: string,
  detail: string,
): string {
  return `${grantsKindOf(args.type) ?? args.type} ${args.name}: ${field} ${detail} [rule ${rule}]`;
}

/** A `*` glob (the only wildcard) as an anchored regular expression. */
export function globPattern(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/** The string elements of an input; unknown during preview reads as none. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : [];
}

/**
 * The names of the inputs that match `pattern`, without reading any value: during preview
 * CrossGuard's inputs throw on reading a value not known yet (e.g. `providerId` of a provider not
 * created), which would stop the rule on an input it does not check.
 */
export function inputNames(props: Record<string, unknown>, pattern: RegExp): string[] {
  return Object.keys(props).filter((name) => pattern.test(name));
}
