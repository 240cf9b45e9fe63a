// The one client of the API, typed by the document the API serves (`schema.d.ts` is
// generated from `api openapi`; `npm run api-types` refreshes it). It sends the session
// cookie, echoes the CSRF cookie on every write, and when the short-lived access token has
// expired refreshes the session once, silently, and repeats the request.

import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

/** The value of a readable cookie (only `ft_csrf` is readable by the page). */
export function cookie(name: string, source: string = document.cookie): string | undefined {
  for (const part of source.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

function withCsrf(request: Request): Request {
  if (SAFE.has(request.method)) return request;
  const csrf = cookie("ft_csrf");
  if (csrf) request.headers.set("X-CSRF-Token", csrf);
  return request;
}

type Listener = () => void;
const expiredListeners = new Set<Listener>();

/** Called when the session could not be refreshed: the person must sign in again. */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

let refreshing: Promise<boolean> | null = null;

/** Refreshes the session once for every request that found its token expired at once. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= fetch("/api/v1/auth/refresh", withCsrf(new Request("/api/v1/auth/refresh", { method: "POST" })))
    .then((response) => response.ok)
    .catch(() => false)
    .finally(() => {
      setTimeout(() => (refreshing = null), 0);
    });
  return refreshing;
}

async function fetchWithSession(input: Request): Promise<Response> {
  const retry = input.clone();
  const response = await fetch(withCsrf(input));
  const isAuth = new URL(input.url, location.origin).pathname.startsWith("/api/v1/auth/");
  if (response.status !== 401 || isAuth) return response;
  if (!(await refreshSession())) {
    expiredListeners.forEach((listener) => listener());
    return response;
  }
  return fetch(withCsrf(retry));
}

export const api = createClient<paths>({
  // The page's own origin (the API is behind the same nginx), spelled out so requests are
  // absolute URLs wherever the client runs.
  baseUrl: location.origin,
  credentials: "same-origin",
  fetch: fetchWithSession,
});

/** A field's problem, as the API names it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An error answer of the API, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: unknown) {
    const error = (body as { error?: Schemas["ErrorDetail"] } | undefined)?.error;
    super(error?.message ?? (status === 0 ? "cannot reach the server: check the connection" : `the server answered ${status}`));
    this.status = status;
    this.code = error?.code ?? (status === 0 ? "offline" : "unknown");
    const details = (error?.details ?? {}) as { fields?: FieldProblem[]; retry_after_seconds?: number };
    this.fields = details.fields ?? [];
    this.retryAfterSeconds = details.retry_after_seconds;
  }

  /** The message for `field`, if the API named it. */
  field(name: string): string | undefined {
    return this.fields.find((f) => f.field === name)?.message;
  }
}

/** The data of an openapi-fetch result, or its error thrown as an ApiError. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, undefined);
  }
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(result.response.status, result.error);
  }
  return result.data as T;
}
