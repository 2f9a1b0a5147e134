/**
 * STS's temporary credentials (services/sts): what AssumeRole issued, so that a later request signed with the key id
 * is the role's account. One table, global (STS credentials work in every region), keyed by access key id.
 */
import type Database from "better-sqlite3";

export interface StsCredentialRow {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly account: string;
  readonly roleArn: string;
  /** The role's unique id (`AROA…`), the first half of the assumed-role user id. */
  readonly roleId: string;
  readonly sessionName: string;
  /** Epoch ms on the simulated clock. */
  readonly expiration: number;
}

export class StsStore {
  readonly #db: Database.Database;
  readonly #get: Database.Statement;
  readonly #put: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#get = db.prepare(
      `SELECT access_key_id AS accessKeyId, secret_access_key AS secretAccessKey, session_token AS sessionToken, account,
        role_arn AS roleArn, role_id AS roleId, session_name AS sessionName, expiration
       FROM sts_credentials WHERE access_key_id = ?`,
    );
    this.#put = db.prepare(
      `INSERT INTO sts_credentials (access_key_id, secret_access_key, session_token, account, role_arn, role_id, session_name, expiration)
       VALUES (@accessKeyId, @secretAccessKey, @sessionToken, @account, @roleArn, @roleId, @sessionName, @expiration)`,
    );
  }

  get(accessKeyId: string): StsCredentialRow | undefined {
    return this.#get.get(accessKeyId) as StsCredentialRow | undefined;
  }

  /** Runs `fn` in one write transaction. */
  tx<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  read<T>(fn: () => T): T {
    return this.#db.transaction(fn).deferred();
  }

  put(row: StsCredentialRow): void {
    this.#put.run(row);
  }

  reset(): void {
    this.#db.exec("DELETE FROM sts_credentials");
  }
}
