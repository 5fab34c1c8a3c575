import { parseArgs } from "node:util";
import type { AccessChange } from "./access-change";
import { CliError } from "./cli-error";
import { formatJson } from "./format-json";
import { formatMarkdown } from "./format-markdown";
import { formatText } from "./format-text";
import { readJsonInput } from "./read-input";
import { reviewPreview } from "./review-preview";
import { clientNamesFromExport } from "./state-names";

export const reviewUsage = `Usage: pulumi-grants review [FILE] [options]

Reads the JSON of \`pulumi preview --json\` (FILE, or stdin when FILE is - or left out) and
prints what the change does to access: widening first, then narrowing, then neutral.
On \`pulumi preview --refresh --json\` it marks what differs on the server as drift.

Options:
  --format text|markdown|json   output format (default: text)
  --fail-on widen|change|drift  exit 1 when access widens, anything changes, or there is drift
  --state FILE                  \`pulumi stack export\` JSON, to name clients the preview does not show
  -h, --help                    show this help
`;

const formats = { text: formatText, markdown: formatMarkdown, json: formatJson } as const;
const failOn = {
  widen: (changes: readonly AccessChange[]) => changes.some((change) => change.effect === "widens"),
  change: (changes: readonly AccessChange[]) => changes.length > 0,
  drift: (changes: readonly AccessChange[]) => changes.some((change) => change.drift),
} as const;

export interface CommandResult {
  readonly stdout: string;
  /** Said on stderr when the command fails on purpose (`--fail-on`). */
  readonly stderr: string;
  readonly exitCode: number;
}

/** `pulumi-grants review`: arguments in, output and exit code out (the bin only prints them). */
export async function runReview(args: readonly string[]): Promise<CommandResult> {
  const { values, positionals } = parseOrThrow(args);
  if (values.help) return { stdout: reviewUsage, stderr: "", exitCode: 0 };
  const format = oneOf("--format", values.format ?? "text", formats);
  const fail =
    values["fail-on"] === undefined ? undefined : oneOf("--fail-on", values["fail-on"], failOn);
  if (positionals.length > 1) {
    throw new CliError(
      "USAGE",
      `expected at most one FILE, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  const preview = await readJsonInput(positionals[0], "the output of `pulumi preview --json`");
  const clientNames =
    values.state === undefined
      ? undefined
      : clientNamesFromExport(
          await readJsonInput(values.state, "the output of `pulumi stack export`"),
        );
  let changes: AccessChange[];
  try {
    changes = reviewPreview(preview, clientNames === undefined ? {} : { clientNames });
  } catch (error) {
    if (error instanceof TypeError) throw new CliError("INPUT", error.message);
    throw error;
  }
  const failed = fail !== undefined && fail(changes);
  return {
    stdout: format(changes),
    stderr: failed
      ? `pulumi-grants review: failing because of --fail-on ${values["fail-on"]}\n`
      : "",
    exitCode: failed ? 1 : 0,
  };
}

function parseOrThrow(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        format: { type: "string" },
        "fail-on": { type: "string" },
        state: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new CliError("USAGE", (error as Error).message);
  }
}

export function oneOf<T extends Record<string, unknown>>(
  option: string,
  value: string,
  choices: T,
): T[keyof T] {
  if (!Object.hasOwn(choices, value)) {
    throw new CliError(
      "USAGE",
      `${option} must be one of ${Object.keys(choices).join(", ")}; got "${value}"`,
    );
  }
  return choices[value as keyof T];
}
