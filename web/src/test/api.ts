// The API's answers for component tests: `fetch` replaced by a table of routes, each answer
// in the API's own shapes (the generated types, so a changed document breaks these tests at
// compile time). The browser tests (e2e/) run the real stack; these test one screen's
// handling of each answer.

import { vi } from "vitest";
import type { Schemas } from "../api/client";

type Answer = Response | (() => Response) | Error;

/** An error body as the API sends it (`http/error.rs`). */
export function refusal(status: number, code: string, message: string, details: unknown = null): Response {
  const body: { error: Omit<Schemas["ErrorDetail"], "details"> & { details: unknown } } = { error: { code, message, details } };
  return json(status, body);
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A request the page sent, its body parsed. */
export interface Sent {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

/** Replaces `fetch` with `routes` ("POST /api/v1/auth/login" → answer); anything else is a
 * test failure. An Error answer is a network failure. Returns what was sent. */
export function stubApi(routes: Record<string, Answer>): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal("fetch", async (input: Request | string, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(input, location.origin), init);
    const url = new URL(request.url, location.origin);
    const text = await request.text();
    sent.push({ method: request.method, path: url.pathname + url.search, headers: request.headers, body: text ? JSON.parse(text) : undefined });
    const answer = routes[`${request.method} ${url.pathname}`];
    if (answer === undefined) throw new Error(`the test has no answer for ${request.method} ${url.pathname}`);
    if (answer instanceof Error) throw answer;
    return typeof answer === "function" ? answer() : answer.clone();
  });
  return sent;
}

export const user: Schemas["UserView"] = {
  id: "6f1c1f3e-2a4b-4c5d-8e9f-0a1b2c3d4e5f",
  email: "sam@example.org",
  display_name: "Sam",
  created_at: "2026-12-01T09:00:00Z",
};
