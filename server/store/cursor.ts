import { InvalidCursorError } from "./store";

// Both stores order grants by a never-reused integer position; the cursor wraps the position
// of the last grant a client saw. Clients treat it as opaque (base64url of `cg:<position>`).

export function encodePositionCursor(position: number | bigint | string): string {
  return Buffer.from(`cg:${position}`, "utf8").toString("base64url");
}

/** The position inside a cursor; 0 (before the first grant) when there is none. */
export function decodePositionCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^cg:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new InvalidCursorError();
  return Number(match[1]);
}
