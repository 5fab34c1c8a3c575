import type * as pulumi from "@pulumi/pulumi";
import { diffInputs } from "../../shared/diff-inputs";
import { providerInputKeys, providerReplaceKeys } from "./schema";

/** Any change replaces: the API cannot update a provider. */
export async function diffProvider(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  return diffInputs(olds, news, { inputKeys: providerInputKeys, replaceKeys: providerReplaceKeys });
}
