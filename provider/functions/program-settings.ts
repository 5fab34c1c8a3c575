import * as pulumi from "@pulumi/pulumi";
import { missingSettingMessage, settingSources } from "../config";

/** The useGrant settings as the program sees them; the token stays a secret Output. */
export interface ProgramUseGrantSettings {
  readonly apiUrl: string;
  readonly apiToken: pulumi.Output<string>;
}

/**
 * Functions run in the program process, not in the dynamic provider, so they read the stack
 * config through `pulumi.Config("grants")`, with the same environment fallbacks. A missing
 * setting throws at once, which fails `pulumi preview`.
 */
export function programUseGrantSettings(caller: string): ProgramUseGrantSettings {
  const config = new pulumi.Config("grants");
  const apiUrl = config.get("apiUrl") ?? nonEmpty(process.env[settingSources.apiUrl.envVar]);
  if (apiUrl === undefined) throw new Error(`${caller}: ${missingSettingMessage("apiUrl")}`);
  if (!URL.canParse(apiUrl) || !/^https?:$/.test(new URL(apiUrl).protocol)) {
    throw new Error(`${caller}: grants:apiUrl must be an http(s) URL, got "${apiUrl}".`);
  }
  const fromEnv = nonEmpty(process.env[settingSources.apiToken.envVar]);
  const apiToken =
    config.getSecret("apiToken") ?? (fromEnv === undefined ? undefined : pulumi.secret(fromEnv));
  if (apiToken === undefined) throw new Error(`${caller}: ${missingSettingMessage("apiToken")}`);
  return { apiUrl: apiUrl.replace(/\/+$/, ""), apiToken };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
