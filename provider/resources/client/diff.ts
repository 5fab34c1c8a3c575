import type * as pulumi from "@pulumi/pulumi";
import { diffInputs } from "../../shared/diff-inputs";
import {
  auth0ClientReplaceKeys,
  clientInputKeys,
  clientReplaceKeys,
  nevisClientReplaceKeys,
} from "./schema";

/**
 * useGrant clients: any change replaces (that API cannot update a client). nevisMeta clients:
 * PUT updates everything but the setup in place. Auth0 applications: PATCH updates everything
 * but the tenant in place, and a new `secretVersion` rotates the secret in place. A switch of
 * backend replaces. State written before the backend existed has none: it is a useGrant client.
 */
export async function diffClient(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  const before = { ...olds, backend: olds.backend ?? "usegrant" };
  const after = { ...news, backend: news.backend ?? "usegrant" };
  const same = before.backend === after.backend ? before.backend : undefined;
  const replaceKeys =
    same === "nevis"
      ? nevisClientReplaceKeys
      : same === "auth0"
        ? auth0ClientReplaceKeys
        : [...clientReplaceKeys, "backend"];
  return diffInputs(before, after, { inputKeys: [...clientInputKeys, "backend"], replaceKeys });
}
