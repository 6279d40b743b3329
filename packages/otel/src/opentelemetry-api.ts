import { createRequire } from 'node:module';

/** The `@opentelemetry/api` module, as this package uses it. */
export type OpenTelemetryApi = typeof import('@opentelemetry/api');

let loaded: OpenTelemetryApi | null | undefined;

/**
 * Loads `@opentelemetry/api` (an optional peer dependency) once.
 *
 * Every copy of the API shares one global registration, so the copy loaded here sees the
 * tracer provider and context manager that the application registered with its own.
 * @returns the API, or `undefined` when it is not installed (tracing is then off, at no cost).
 */
export function openTelemetryApi(): OpenTelemetryApi | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('@opentelemetry/api') as OpenTelemetryApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
