import type * as pulumi from "@pulumi/pulumi";
import { diffInputs } from "../../shared/diff-inputs";
import { providerInputKeys, providerReplaceKeys, tenantProviderReplaceKeys } from "./schema";

/**
 * Any change replaces: the API cannot update a provider. A Provider standing for an Auth0 tenant
 * only relabels; a switch of backend replaces.
 */
export async function diffProvider(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  const before = { ...olds, backend: olds.backend ?? "usegrant" };
  const after = { ...news, backend: news.backend ?? "usegrant" };
  const tenant = before.backend === "auth0" && after.backend === "auth0";
  return diffInputs(before, after, {
    inputKeys: [...providerInputKeys, "backend"],
    replaceKeys: tenant ? tenantProviderReplaceKeys : [...providerReplaceKeys, "backend"],
  });
}
