// Metrics and traces. The worker's Temporal runtime serves its own Prometheus metrics (workflow task and
// activity latencies, poll and cache figures) when METRICS_PORT is set; the API serves its metrics at
// /metrics (api/metrics.ts). Traces follow a request from the API into the workflow and its activities
// through the SDK's OpenTelemetry interceptors, exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
import { createRequire } from 'node:module';
import { trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import { DefaultLogger, Runtime, type WorkerOptions } from '@temporalio/worker';
import type { Config } from './config';

/** The workflow side of tracing: part of every workflow bundle (infra/workflow-bundle.ts). */
export const workflowTracingModule = createRequire(import.meta.url).resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

export interface Tracing {
  tracer: Tracer;
  processor: SpanProcessor;
  resource: Resource;
  shutdown(): Promise<void>;
}

/**
 * Registers the process's tracer provider. Spans go to `processor` when given (tests), over OTLP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, and nowhere otherwise (they are still created, so the trace context
 * still travels through Temporal to the next process that does export).
 */
export function startTracing(
  service: string,
  config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT'>,
  processor?: SpanProcessor,
): Tracing {
  const resource = new Resource({ 'service.name': service, 'service.namespace': 'toeleiding' });
  const chosen =
    processor ??
    (config.OTEL_EXPORTER_OTLP_ENDPOINT
      ? new BatchSpanProcessor(
          new OTLPTraceExporter({ url: `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` }),
        )
      : new NoopSpanProcessor());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [chosen] });
  provider.register();
  return { tracer: trace.getTracer('toeleiding'), processor: chosen, resource, shutdown: () => provider.shutdown() };
}

/** Client interceptors that carry the active trace into workflow starts, updates, signals and queries. */
export const tracingClientInterceptors = () => ({ workflow: [new OpenTelemetryWorkflowClientInterceptor()] });

/** Worker options for tracing: activity spans, and the sink through which workflow code exports its spans. */
export function tracingWorkerOptions(
  tracing: Pick<Tracing, 'processor' | 'resource'>,
  bundled: boolean,
): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  return {
    interceptors: {
      ...(!bundled && { workflowModules: [workflowTracingModule] }),
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.processor, tracing.resource) },
  };
}

/** For workers that trace nothing (tests, the simulator): the workflow bundle's tracing still needs its sink. */
export const untracedWorkerOptions = (bundled: boolean) =>
  tracingWorkerOptions({ processor: new NoopSpanProcessor(), resource: Resource.empty() }, bundled);

/** The worker's Temporal runtime: logs at `level`, Prometheus metrics on METRICS_PORT when set. Once per process. */
export function installWorkerRuntime(config: Pick<Config, 'METRICS_PORT' | 'LOG_LEVEL'>): void {
  const level = (
    {
      fatal: 'ERROR',
      error: 'ERROR',
      warn: 'WARN',
      info: 'INFO',
      debug: 'DEBUG',
      trace: 'TRACE',
      silent: 'ERROR',
    } as const
  )[config.LOG_LEVEL];
  Runtime.install({
    logger: new DefaultLogger(level),
    ...(config.METRICS_PORT !== undefined && {
      telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${config.METRICS_PORT}` } } },
    }),
  });
}
