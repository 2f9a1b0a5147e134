/** The production id generator: AWS-style ids from crypto randomness (prefix + 17 lowercase hex digits). */
import { randomBytes } from "node:crypto";
import { ID_PREFIX, type IdGenerator } from "../domain/ids.js";

/** Buffers randomness so that generating an id is a slice, not a syscall. */
class HexPool {
  #buf = "";
  take(n: number): string {
    if (this.#buf.length < n) this.#buf += randomBytes(4096).toString("hex");
    const out = this.#buf.slice(0, n);
    this.#buf = this.#buf.slice(n);
    return out;
  }
}

export const randomIds = (): IdGenerator => {
  const pool = new HexPool();
  return {
    next: (kind) => `${ID_PREFIX[kind]}-${pool.take(17)}`,
    hex: (length) => pool.take(length),
  };
};
