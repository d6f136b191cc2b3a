// The API process: `npm run api`. Stateless; run as many as you like behind a load balancer.
import { Client, Connection } from '@temporalio/client';
import { buildApp } from '../api/app';
import { connectPostgres } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { loadConfig, type Config } from './config';
import { createMailer } from './mail';
import { payloadDataConverter } from './payload-codec';
import { isMain, onShutdown, requireDatabaseUrl } from './process';
import { startTracing, tracingClientInterceptors } from './telemetry';
import { temporalConnectionOptions } from './temporal';

export async function runApi(config: Config) {
  if (!config.ADMIN_TOKEN)
    throw new Error('ADMIN_TOKEN is not set (npm start generates one; a standalone API needs it in its environment)');
  if (!config.BSN_HMAC_KEY)
    throw new Error('BSN_HMAC_KEY is not set (npm start generates one; a standalone API needs it in its environment)');
  const tracing = startTracing('toeleiding-api', config);
  const dataConverter = payloadDataConverter(config);
  const db = connectPostgres(requireDatabaseUrl(config), config.DATABASE_POOL_SIZE);
  // Migrations are idempotent and take Kysely's migration lock, so concurrent API replicas are safe.
  await migrateToLatest(db);
  // Lazy: the API starts (and /health says 503) while Temporal is still down.
  const connection = Connection.lazy(temporalConnectionOptions(config));
  const temporal = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter,
    interceptors: tracingClientInterceptors(),
  });
  const mailer = createMailer(config, db);
  const app = await buildApp({
    config: { ...config, ADMIN_TOKEN: config.ADMIN_TOKEN, BSN_HMAC_KEY: config.BSN_HMAC_KEY },
    db,
    temporal,
    mailer,
  });
  app.addHook('onClose', async () => {
    mailer.close();
    await connection.close();
    await db.destroy();
    await tracing.shutdown();
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  return app;
}

if (isMain(import.meta.url)) {
  runApi(loadConfig()).then(
    (app) => onShutdown(() => app.close()),
    (e) => {
      console.error('api: could not start:', e);
      process.exit(1);
    },
  );
}
