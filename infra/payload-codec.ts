// Temporal payloads (workflow inputs and results, update arguments such as checkpoint notes and dropout
// reasons, activity arguments, the projection's markers) carry personal data. Every client and worker
// encrypts them with this codec before they leave the process, so the Temporal server, its database and its
// Web UI hold only ciphertext. Layout as in temporalio/samples-typescript `encryption`, with node:crypto:
// metadata `encoding: binary/encrypted` and `encryption-key-id`, data = 12-byte IV + AES-256-GCM ciphertext
// of the original Payload (protobuf, length-delimited) + 16-byte tag.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  METADATA_ENCODING_KEY,
  ValueError,
  type DataConverter,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
// A CommonJS module whose exports Node's ESM loader cannot list: a named import fails under `node --import tsx`.
import proto from '@temporalio/proto';
import { ConfigError, type Config } from './config';

const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKey {
  id: string;
  key: Buffer;
}

const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);
const bytes = (s: string) => Buffer.from(s, 'utf8');

/**
 * `keyId:base64key,keyId2:base64key2` (PAYLOAD_KEYS) into keys, first one first. Reports every malformed
 * entry at once, naming its id but never its key.
 */
export function parsePayloadKeys(s: string): PayloadKey[] {
  const keys: PayloadKey[] = [];
  const problems: string[] = [];
  for (const [i, entry] of s
    .split(',')
    .map((e) => e.trim())
    .entries()) {
    const at = entry.indexOf(':');
    const id = at < 0 ? '' : entry.slice(0, at);
    const encoded = at < 0 ? '' : entry.slice(at + 1);
    const name = id ? `key "${id}"` : `entry ${i + 1}`;
    if (!/^[A-Za-z0-9._-]+$/.test(id))
      problems.push(`PAYLOAD_KEYS: ${name} is not \`keyId:base64key\` (key id: letters, digits, '.', '_', '-')`);
    else if (keys.some((k) => k.id === id)) problems.push(`PAYLOAD_KEYS: key id "${id}" appears twice`);
    else if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded) || Buffer.from(encoded, 'base64').length !== KEY_BYTES) {
      problems.push(`PAYLOAD_KEYS: ${name} is not the base64 of ${KEY_BYTES} bytes`);
    } else keys.push({ id, key: Buffer.from(encoded, 'base64') });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return keys;
}

/** A fresh PAYLOAD_KEYS entry, `k<YYYYMMDD>:<base64 of 32 random bytes>`; put it first to rotate. */
export function newPayloadKey(now = new Date()): string {
  return `k${now.toISOString().slice(0, 10).replaceAll('-', '')}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/** Encrypts with the first key; decrypts with whichever key the payload names. */
export function createPayloadCodec(keys: readonly PayloadKey[]): PayloadCodec {
  const current = keys[0];
  if (!current) throw new ConfigError(['PAYLOAD_KEYS: no key']);
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  const known = keys.map((k) => k.id).join(', ');

  const encrypt = (payload: Payload): Payload => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', current.key, iv, { authTagLength: TAG_BYTES });
    const plain = PayloadMessage.encodeDelimited(payload).finish();
    return {
      metadata: { [METADATA_ENCODING_KEY]: bytes(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: bytes(current.id) },
      data: Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
    };
  };

  const decrypt = (payload: Payload): Payload => {
    // Payloads written before encryption was switched on stay readable: their histories must still replay.
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const id = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!id) throw new ValueError(`an encrypted payload names no ${KEY_ID_METADATA}`);
    const key = byId.get(id);
    if (!key) {
      throw new ValueError(
        `a payload is encrypted with key "${id}", which is not in PAYLOAD_KEYS (it has ${known}); put that ` +
          `key back in PAYLOAD_KEYS after the current one`,
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new ValueError(`a payload encrypted with key "${id}" is too short to be AES-GCM output`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return PayloadMessage.decodeDelimited(plain);
    } catch (e) {
      throw new ValueError(
        `a payload encrypted with key "${id}" does not decrypt: the key under that id in PAYLOAD_KEYS is ` +
          `not the one it was encrypted with, or the payload was altered`,
        e,
      );
    }
  };

  return {
    encode: async (payloads) => payloads.map(encrypt),
    decode: async (payloads) => payloads.map(decrypt),
  };
}

/**
 * The data converter of every client and worker. PAYLOAD_KEYS is required: a process without it would
 * write personal data in plaintext into Temporal, so the worker and the API refuse to start instead.
 */
export function payloadDataConverter(config: Pick<Config, 'PAYLOAD_KEYS'>): DataConverter {
  if (!config.PAYLOAD_KEYS) {
    throw new Error(
      'PAYLOAD_KEYS is not set (npm start generates one under DATA_DIR; a standalone worker or API needs ' +
        'the same keys in its environment, `keyId:<base64 of 32 random bytes>`)',
    );
  }
  return { payloadCodecs: [createPayloadCodec(parsePayloadKeys(config.PAYLOAD_KEYS))] };
}

/**
 * Decrypts, in place, every encrypted payload in a fetched history (or any other protobuf object), e.g. to
 * keep replay fixtures readable. Histories fetched with `handle.fetchHistory()` are as the server holds them.
 */
export async function decodePayloadsIn<T>(value: T, codec: PayloadCodec): Promise<T> {
  const visit = async (node: unknown): Promise<void> => {
    if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
    for (const [k, child] of Object.entries(node)) {
      if (isPayload(child) && text(child.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING) {
        (node as Record<string, unknown>)[k] = (await codec.decode([child]))[0];
      } else await visit(child);
    }
  };
  await visit(value);
  return value;
}

/** A Temporal Payload as the proto types give it: metadata bytes keyed by name, and data bytes. */
export function isPayload(v: unknown): v is Payload {
  if (v === null || typeof v !== 'object' || !('metadata' in v)) return false;
  const metadata = (v as Payload).metadata;
  return (
    metadata !== null &&
    typeof metadata === 'object' &&
    (metadata as Record<string, unknown>)[METADATA_ENCODING_KEY] instanceof Uint8Array
  );
}
