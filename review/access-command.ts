import { parseArgs } from "node:util";
import type { AccessEntry } from "./access-entry";
import { filterAccess } from "./access-entry";
import { accessJson, accessMarkdown, accessMermaid, accessText } from "./access-format";
import { accessFromExport, accessFromServer } from "./access-sources";
import { CliError } from "./cli-error";
import { readJsonInput } from "./read-input";
import type { CommandResult } from "./review-command";
import { oneOf } from "./review-command";

export const accessUsage = `Usage: pulumi-grants access [options]

Who may call what, now: a client × API table with the scopes each client may request.
Reads the live server through GRANTS_API_URL and GRANTS_API_TOKEN (and
GRANTS_MANAGEMENT_API_URL / GRANTS_MANAGEMENT_API_TOKEN when client grants live elsewhere, as
on Auth0), or \`pulumi stack export\` JSON with --state.

Options:
  --state FILE                         read \`pulumi stack export\` JSON (- for stdin) instead of the server
  --format text|markdown|json|mermaid  output format (default: text)
  --audience API                       only this API
  --client NAME_OR_ID                  only this client
  --scope SCOPE                        only clients that may request this scope
  -h, --help                           show this help
`;

const formats = {
  text: accessText,
  markdown: accessMarkdown,
  json: accessJson,
  mermaid: accessMermaid,
} as const;

/** `pulumi-grants access`. */
export async function runAccess(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CommandResult> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        state: { type: "string" },
        format: { type: "string" },
        audience: { type: "string" },
        client: { type: "string" },
        scope: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new CliError("USAGE", (error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return { stdout: accessUsage, stderr: "", exitCode: 0 };
  const format = oneOf("--format", values.format ?? "text", formats);
  let entries: AccessEntry[];
  if (values.state !== undefined) {
    try {
      entries = accessFromExport(
        await readJsonInput(values.state, "the output of `pulumi stack export`"),
      );
    } catch (error) {
      if (error instanceof TypeError) throw new CliError("INPUT", error.message);
      throw error;
    }
  } else {
    const apiUrl = env.GRANTS_API_URL;
    const apiToken = env.GRANTS_API_TOKEN;
    if (!apiUrl || !apiToken) {
      throw new CliError(
        "USAGE",
        "set GRANTS_API_URL and GRANTS_API_TOKEN to read the live server, or pass --state FILE",
      );
    }
    entries = await accessFromServer({
      apiUrl,
      apiToken,
      ...(env.GRANTS_MANAGEMENT_API_URL ? { managementApiUrl: env.GRANTS_MANAGEMENT_API_URL } : {}),
      ...(env.GRANTS_MANAGEMENT_API_TOKEN
        ? { managementApiToken: env.GRANTS_MANAGEMENT_API_TOKEN }
        : {}),
    });
  }
  const filter = {
    ...(values.audience === undefined ? {} : { audience: values.audience }),
    ...(values.client === undefined ? {} : { client: values.client }),
    ...(values.scope === undefined ? {} : { scope: values.scope }),
  };
  return { stdout: format(filterAccess(entries, filter)), stderr: "", exitCode: 0 };
}
