// Payload encryption: the codec on its own (round trip, key rotation, clear errors), then a real trajectory
// on the time-skipping server read back the way the Temporal Web UI reads it, without the keys.
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Db } from '../db/connection';
import { loadConfig } from '../infra/config';
import {
  createPayloadCodec,
  decodePayloadsIn,
  ENCRYPTED_ENCODING,
  isPayload,
  KEY_ID_METADATA,
  newPayloadKey,
  parsePayloadKeys,
  payloadDataConverter,
} from '../infra/payload-codec';
import { addDays, localInstant } from '../domain/calendar';
import { TASK_QUEUE, trajectoryWorkflowId } from '../workflows/ids';
import { recordCheckpointUpdate, trajectoryWorkflow } from '../workflows/trajectory';
import { thisMonday, welslagenTemplate } from './helpers/fixtures';
import { seedTrajectory as seed } from './helpers/seed';
import { startTestWorld, type TestWorld } from './helpers/api';
import { testPayloadKeys } from './helpers/temporal';

const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');
const codecFor = (keys: string) => createPayloadCodec(parsePayloadKeys(keys));
const personal = { name: 'Fatima el Amrani', note: 'Gesprek over haar rugklachten; jobcoach belt de huisarts' };

describe('the payload codec', () => {
  it('encrypts a payload under the first key and decrypts it back to the same payload', async () => {
    const keys = `${newPayloadKey()},${newPayloadKey(new Date('2025-01-01'))}`;
    const codec = codecFor(keys);
    const original = defaultPayloadConverter.toPayload(personal);
    const [encrypted] = await codec.encode([original]);
    expect(text(encrypted!.metadata![METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted!.metadata![KEY_ID_METADATA])).toBe(parsePayloadKeys(keys)[0]!.id);
    expect(Buffer.from(encrypted!.data!).includes('Fatima')).toBe(false);
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(personal);
    expect(text(decoded!.metadata![METADATA_ENCODING_KEY])).toBe('json/plain');
    // A fresh IV each time: equal inputs do not show up as equal ciphertexts.
    const [again] = await codec.encode([original]);
    expect(Buffer.from(again!.data!).equals(Buffer.from(encrypted!.data!))).toBe(false);
  });

  it('passes payloads that are not encrypted through, so histories from before encryption still replay', async () => {
    const plain = defaultPayloadConverter.toPayload(personal);
    const [decoded] = await codecFor(newPayloadKey()).decode([plain]);
    expect(decoded).toBe(plain);
  });

  it('after a rotation decrypts what the old key encrypted and encrypts under the new key', async () => {
    const old = newPayloadKey(new Date('2025-01-01'));
    const fresh = newPayloadKey(new Date('2026-01-01'));
    const [underOld] = await codecFor(old).encode([defaultPayloadConverter.toPayload(personal)]);
    const rotated = codecFor(`${fresh},${old}`);
    const [decoded] = await rotated.decode([underOld!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(personal);
    const [underNew] = await rotated.encode([defaultPayloadConverter.toPayload(personal)]);
    expect(text(underNew!.metadata![KEY_ID_METADATA])).toBe('k20260101');
  });

  it('names the key id when a payload was encrypted under a key it does not have', async () => {
    const [underOld] = await codecFor(newPayloadKey(new Date('2025-01-01'))).encode([
      defaultPayloadConverter.toPayload(personal),
    ]);
    await expect(codecFor(newPayloadKey(new Date('2026-01-01'))).decode([underOld!])).rejects.toThrow(
      'a payload is encrypted with key "k20250101", which is not in PAYLOAD_KEYS (it has k20260101)',
    );
  });

  it('refuses a payload whose key under the same id differs, or whose ciphertext was altered', async () => {
    const [encrypted] = await codecFor(newPayloadKey(new Date('2025-01-01'))).encode([
      defaultPayloadConverter.toPayload(personal),
    ]);
    await expect(codecFor(newPayloadKey(new Date('2025-01-01'))).decode([encrypted!])).rejects.toThrow(
      'a payload encrypted with key "k20250101" does not decrypt',
    );
    const keys = newPayloadKey();
    const [mine] = await codecFor(keys).encode([defaultPayloadConverter.toPayload(personal)]);
    const altered: Payload = { ...mine, data: Buffer.from(mine!.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codecFor(keys).decode([altered])).rejects.toThrow('does not decrypt');
  });

  it('reads PAYLOAD_KEYS strictly, reporting every bad entry by id and never its key', () => {
    const good = newPayloadKey();
    expect(parsePayloadKeys(good)).toHaveLength(1);
    expect(parsePayloadKeys(good)[0]!.key).toHaveLength(32);
    const short = Buffer.alloc(16, 1).toString('base64');
    let message = '';
    try {
      parsePayloadKeys(`${good},short:${short},no-colon,${good}`);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('key "short" is not the base64 of 32 bytes');
    expect(message).toContain('entry 3 is not `keyId:base64key`');
    expect(message).toContain(`key id "${good.split(':')[0]}" appears twice`);
    expect(message).not.toContain(short);
    expect(message).not.toContain(good.split(':')[1]);
  });

  it('generates keys the configuration accepts, and refuses to build a converter without keys', () => {
    const keys = `${newPayloadKey()},${newPayloadKey(new Date('2025-01-01'))}`;
    expect(loadConfig({ PAYLOAD_KEYS: keys }).PAYLOAD_KEYS).toBe(keys);
    expect(() => payloadDataConverter({})).toThrow('PAYLOAD_KEYS is not set');
  });
});

describe('a trajectory on the Temporal server', () => {
  let env: TestWorkflowEnvironment;
  let world: TestWorld;
  let db: Db;

  beforeAll(async () => {
    world = await startTestWorld();
    ({ db, env } = world);
  });

  afterAll(async () => {
    await world?.close();
  });

  const template = welslagenTemplate({ checkpoints: [{ key: 'intake', name: 'Intake', week: 1 }] });
  const seedTrajectory = (startDate: string) =>
    seed(db, startDate, template, { name: personal.name, email: 'fatima@example.nl' });

  /** Every payload in a history with where it sits; search attributes are not payloads a codec encodes. */
  function payloadsIn(node: unknown, at = ''): { at: string; payload: Payload }[] {
    if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return [];
    if (isPayload(node)) return [{ at, payload: node }];
    return Object.entries(node).flatMap(([k, v]) =>
      k === 'searchAttributes' ? [] : payloadsIn(v, /^\d+$/.test(k) ? at : `${at}.${k}`),
    );
  }

  it('holds only ciphertext: a client without the keys sees no input, note or result', async () => {
    const startDate = addDays(thisMonday(await env.currentTimeMs()), 7);
    const input = await seedTrajectory(startDate);
    const workflowId = trajectoryWorkflowId(input.trajectoryId);
    const handle = await env.client.workflow.start(trajectoryWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [input],
    });
    await env.sleep(localInstant(addDays(startDate, 4), 16) - (await env.currentTimeMs()));
    await handle.executeUpdate(recordCheckpointUpdate, {
      args: [{ key: 'intake', status: 'concerns', note: personal.note, trainerConfirmed: true }],
    });
    const result = await handle.result();
    expect(result.status).toBe('ended');

    // What the Web UI gets: the history as the server keeps it, read by a client that has no codec.
    const blind = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    const history = await blind.workflow.getHandle(workflowId).fetchHistory();
    const payloads = payloadsIn(history.events);
    const places = new Set(payloads.map((p) => p.at));
    for (const place of [
      '.workflowExecutionStartedEventAttributes.input.payloads',
      '.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.args.payloads',
      '.workflowExecutionUpdateCompletedEventAttributes.outcome.success.payloads',
      '.markerRecordedEventAttributes.details.result.payloads',
      '.workflowExecutionCompletedEventAttributes.result.payloads',
    ])
      expect(places).toContain(place);
    // Markers' bookkeeping is written by the SDK's core, outside the codec: the patch id of patched(), and a
    // local activity's seq, type and times. Its arguments never enter history; its result goes through the codec.
    // An activity's header carries the tracing interceptor's context (trace and span ids), also outside it.
    const bookkeeping =
      /\.markerRecordedEventAttributes\.details\.(patch-data|data)\.payloads$|\.header\.fields\._tracer-data$/;
    const tracing = payloads.filter((p) => p.at.endsWith('._tracer-data'));
    for (const { payload } of tracing)
      expect(Buffer.from(payload.data!).toString()).toMatch(/^\{"traceparent":"[\w-]+"\}$/);
    for (const { at, payload } of payloads.filter((p) => !bookkeeping.test(p.at))) {
      expect(text(payload.metadata![METADATA_ENCODING_KEY]), at).toBe(ENCRYPTED_ENCODING);
      expect(text(payload.metadata![KEY_ID_METADATA]), at).toBe(testPayloadKeys.split(':')[0]);
    }
    const raw = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish());
    const json = historyToJSON(history);
    for (const secret of [personal.note, input.employerId]) {
      expect(raw.includes(secret), secret).toBe(false);
      expect(json.includes(secret), secret).toBe(false);
    }
    await expect(blind.workflow.getHandle(workflowId).result()).rejects.toThrow(ENCRYPTED_ENCODING);

    // The check above would see plaintext: decrypted, the same history holds the note and the input.
    const decrypted = await decodePayloadsIn(
      await blind.workflow.getHandle(workflowId).fetchHistory(),
      codecFor(testPayloadKeys),
    );
    const plain = Buffer.from(proto.temporal.api.history.v1.History.encode(decrypted).finish());
    expect(plain.includes(personal.note)).toBe(true);
    expect(plain.includes(input.employerId)).toBe(true);

    // The encrypted history replays with the keys, also after a rotation put a new key in front.
    const workflowBundle = { codePath: inject('workflowBundlePath') };
    await Worker.runReplayHistory(
      { workflowBundle, dataConverter: payloadDataConverter({ PAYLOAD_KEYS: testPayloadKeys }) },
      history,
      workflowId,
    );
    await Worker.runReplayHistory(
      {
        workflowBundle,
        dataConverter: payloadDataConverter({
          PAYLOAD_KEYS: `${newPayloadKey(new Date('2030-01-01'))},${testPayloadKeys}`,
        }),
      },
      history,
      workflowId,
    );
  });
});
