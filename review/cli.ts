#!/usr/bin/env node
// `pulumi-grants`: review what a change grants, and who may call what.
import { accessUsage, runAccess } from "./access-command";
import { CliError } from "./cli-error";
import type { CommandResult } from "./review-command";
import { reviewUsage, runReview } from "./review-command";

const usage = `Usage: pulumi-grants <command> [options]

Commands:
  review   what a \`pulumi preview --json\` does to access (widens, narrows, neutral; drift)
  access   who may call what: a client × API table with scopes (live server or stack export)

Run \`pulumi-grants <command> --help\` for a command's options.
`;

const commands: Record<string, (args: readonly string[]) => Promise<CommandResult>> = {
  review: runReview,
  access: (args) => runAccess(args),
};
const usages: Record<string, string> = { review: reviewUsage, access: accessUsage };

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h") {
    process.stdout.write(usage);
    return command === undefined ? 2 : 0;
  }
  const run = commands[command];
  try {
    if (run === undefined) throw new CliError("USAGE", `unknown command "${command}"\n\n${usage}`);
    const result = await run(rest);
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    return result.exitCode;
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`pulumi-grants ${command}: error [${error.code}]: ${error.message}\n`);
      const commandUsage = usages[command];
      if (error.code === "USAGE" && commandUsage !== undefined)
        process.stderr.write(`\n${commandUsage}`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `pulumi-grants: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
