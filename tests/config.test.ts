import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../infra/config';

describe('configuration', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      DATA_DIR: 'data',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'toeleiding',
      TEMPORAL_TLS: false,
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.TEMPORAL_ADDRESS).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reports every malformed key at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'drieduizend', DATABASE_URL: 'mysql://x', SMTP_URL: 'mail.example.nl', ADMIN_TOKEN: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const fields = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(fields).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'SMTP_URL', 'ADMIN_TOKEN']));
  });

  it('never repeats a secret in its error message', () => {
    const secret = 'kort-geheim-dat-niet-mag-lekken';
    expect(() => loadConfig({ PAYLOAD_KEYS: secret, BSN_HMAC_KEY: 'kort', ADMIN_TOKEN: 'kort' })).toThrow(ConfigError);
    try {
      loadConfig({ PAYLOAD_KEYS: secret });
    } catch (e) {
      expect((e as Error).message).toContain('PAYLOAD_KEYS');
      expect((e as Error).message).not.toContain(secret);
    }
  });

  it("bounds the worker's workflow cache by default, and takes a bound of its own", () => {
    expect(loadConfig({}).WORKER_MAX_CACHED_WORKFLOWS).toBe(100);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '500' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(500);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: 'veel' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '-1' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
  });

  it("takes two of the digest's office parts a worker by default, at least one", () => {
    expect(loadConfig({}).DIGEST_PARTS_PER_WORKER).toBe(2);
    expect(loadConfig({ DIGEST_PARTS_PER_WORKER: '4' }).DIGEST_PARTS_PER_WORKER).toBe(4);
    expect(() => loadConfig({ DIGEST_PARTS_PER_WORKER: '0' })).toThrow(/DIGEST_PARTS_PER_WORKER/);
  });

  it('refuses half an mTLS key pair', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/etc/client.pem' })).toThrow(/set together/);
  });
});
