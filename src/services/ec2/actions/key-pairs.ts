/** CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPair (issue 15). Key pairs are per account and Region. */
import { err } from "../../../domain/errors.js";
import type { FilterTable } from "../../../domain/filters.js";
import { validateKeyName } from "../../../domain/key-pairs.js";
import type { KeyPairRecord } from "../../../domain/types.js";
import type { KeyPairInfo } from "../../../protocol/model/shapes.js";
import { defineAction, type ActionContext } from "../action.js";
import { describe, tagView } from "../../common/describe.js";
import { generateKeyMaterial, importKeyMaterial, type KeyMaterial } from "../key-material.js";
import { tagsFromSpecs } from "./tags.js";

/** By the store's `key-name` index: RunInstances and the key-pair actions resolve a name without a scan. */
export const keyPairByName = (ctx: ActionContext, name: string): KeyPairRecord | undefined =>
  ctx.tx
    .idsByKey("key-pair", "key-name", name)
    .map((id) => ctx.tx.get("key-pair", id))
    .find((k) => k?.keyName === name);

/** Name rules, uniqueness and the per-Region quota, then the stored record. */
const storeKeyPair = (ctx: ActionContext, name: string, m: KeyMaterial, specs: Parameters<typeof tagsFromSpecs>[0]): KeyPairRecord => {
  validateKeyName(name);
  const tags = tagsFromSpecs(specs, "key-pair", ctx);
  if (keyPairByName(ctx, name)) throw err.keyPairDuplicate(name);
  if (ctx.tx.count("key-pair") >= ctx.quotas.keyPairsPerRegion) throw err.keyPairLimitExceeded();
  const record: KeyPairRecord = {
    kind: "key-pair",
    id: ctx.ids.next("keyPair"),
    tags,
    keyName: name,
    keyType: m.keyType,
    keyFingerprint: m.fingerprint,
    publicKey: m.publicKey,
    createTime: ctx.now.toISOString(),
  };
  ctx.tx.put(record);
  return record;
};

export const CreateKeyPair = defineAction({
  name: "CreateKeyPair",
  mutates: true,
  params: ["KeyName", "KeyType", "KeyFormat", "TagSpecifications"],
  run(input, ctx) {
    // PuTTY's format needs a PPK writer localvpc does not have yet: refused by name rather than answered in PEM.
    if (input.KeyFormat === "ppk") throw err.unsupportedParameterValue("KeyFormat", "ppk", "CreateKeyPair");
    validateKeyName(input.KeyName);
    // Cheap checks first: generating an RSA key takes tens of milliseconds.
    if (keyPairByName(ctx, input.KeyName)) throw err.keyPairDuplicate(input.KeyName);
    const m = generateKeyMaterial(input.KeyType ?? "rsa", input.KeyName);
    const r = storeKeyPair(ctx, input.KeyName, m, input.TagSpecifications);
    return { KeyPairId: r.id, KeyName: r.keyName, KeyFingerprint: r.keyFingerprint, KeyMaterial: m.privateKey, Tags: tagView(r.tags) };
  },
});

export const ImportKeyPair = defineAction({
  name: "ImportKeyPair",
  mutates: true,
  params: ["KeyName", "PublicKeyMaterial", "TagSpecifications"],
  run(input, ctx) {
    validateKeyName(input.KeyName);
    const r = storeKeyPair(ctx, input.KeyName, importKeyMaterial(input.PublicKeyMaterial), input.TagSpecifications);
    return { KeyPairId: r.id, KeyName: r.keyName, KeyFingerprint: r.keyFingerprint, Tags: tagView(r.tags) };
  },
});

const KEY_PAIR_FILTERS: FilterTable<KeyPairRecord> = {
  "key-pair-id": (k) => k.id,
  "key-name": (k) => k.keyName,
  fingerprint: (k) => k.keyFingerprint,
  "key-type": (k) => k.keyType,
};

export const DescribeKeyPairs = defineAction({
  name: "DescribeKeyPairs",
  mutates: false,
  params: ["KeyNames", "KeyPairIds", "Filters", "IncludePublicKey"],
  run(input, ctx) {
    const all = ctx.tx.list("key-pair");
    const names = input.KeyNames ?? [];
    const missingName = names.find((n) => !all.some((k) => k.keyName === n));
    if (missingName !== undefined) throw err.keyPairNotFound(missingName);
    const missingId = (input.KeyPairIds ?? []).find((id) => !all.some((k) => k.id === id));
    if (missingId !== undefined) throw err.keyPairIdNotFound(missingId);
    const page = describe({
      items: all.filter(
        (k) => (names.length === 0 || names.includes(k.keyName)) && (!input.KeyPairIds?.length || input.KeyPairIds.includes(k.id)),
      ),
      idOf: (k) => k.id,
      filters: input.Filters,
      table: KEY_PAIR_FILTERS,
    });
    return {
      KeyPairs: page.items.map((k): KeyPairInfo => ({
        KeyPairId: k.id,
        KeyType: k.keyType,
        Tags: tagView(k.tags) ?? [],
        PublicKey: input.IncludePublicKey ? k.publicKey : undefined,
        CreateTime: new Date(k.createTime),
        KeyName: k.keyName,
        KeyFingerprint: k.keyFingerprint,
      })),
    };
  },
});

export const DeleteKeyPair = defineAction({
  name: "DeleteKeyPair",
  mutates: true,
  params: ["KeyName", "KeyPairId"],
  run(input, ctx) {
    if (input.KeyName === undefined && input.KeyPairId === undefined) throw err.keyNameOrId();
    if (input.KeyPairId !== undefined) {
      const r = ctx.tx.get("key-pair", input.KeyPairId);
      if (!r) throw err.keyPairIdNotFound(input.KeyPairId);
      ctx.tx.delete(r.id);
      return { Return: true, KeyPairId: r.id };
    }
    // An unknown name succeeds, as AWS answers (DeleteKeyPair is idempotent by name; Terraform and Ansible rely on it).
    const r = keyPairByName(ctx, input.KeyName!);
    if (r) ctx.tx.delete(r.id);
    return { Return: true, KeyPairId: r?.id };
  },
});

export const KEY_PAIR_ACTIONS = [CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPair];
