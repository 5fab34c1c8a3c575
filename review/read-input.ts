import { readFile } from "node:fs/promises";
import { CliError } from "./cli-error";

/** The JSON in `file` (or stdin for `-` / no file), with an error naming the source. */
export async function readJsonInput(file: string | undefined, what: string): Promise<unknown> {
  const source = file === undefined || file === "-" ? "stdin" : file;
  let text: string;
  try {
    text = source === "stdin" ? await readStdin() : await readFile(source, "utf8");
  } catch (error) {
    throw new CliError("INPUT", `cannot read ${source}: ${(error as Error).message}`);
  }
  if (text.trim() === "") throw new CliError("INPUT", `${source} is empty; expected ${what}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(
      "INPUT",
      `${source} is not JSON (expected ${what}): ${(error as Error).message}`,
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
