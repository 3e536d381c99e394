import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { vi } from "vitest";
import { setApiToken } from "../api/client.ts";

export const testQueryClient = () =>
  new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });

/** Renders inside a fresh QueryClient and a MemoryRouter at `route` (matched against `path`). */
export const renderApp = (
  ui: ReactNode,
  {
    route = "/",
    path = "*",
    qc = testQueryClient(),
  }: { route?: string; path?: string; qc?: QueryClient } = {},
) => {
  setApiToken("test-token");
  const result = render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[route]}>
        <Routes>
          <Route path={path} element={ui} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { ...result, qc };
};

export interface Call {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

type Handler = (call: Call) => { status?: number; body?: unknown } | undefined;

/**
 * A fake API behind fetch: routes are "METHOD /path" (path without /api/v1 and query);
 * unknown routes answer 404 in the API's error shape. Every call is recorded.
 */
export const mockApi = (routes: Record<string, Handler>) => {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    // The generated client sends one Request; read it as the (url, init) it stands for.
    const request = new Request(
      input instanceof Request ? input : new URL(String(input), "http://localhost"),
      init,
    );
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const path = url.pathname.replace(/^\/api\/v1/, "");
    const text = await request.text();
    const call: Call = {
      method,
      path,
      search: url.searchParams,
      body: text ? JSON.parse(text) : undefined,
      headers: Object.fromEntries(request.headers),
    };
    calls.push(call);
    const handler = routes[`${method} ${path}`];
    const result = handler?.(call);
    if (!result) {
      return new Response(
        JSON.stringify({ error: { code: "not_found", message: `No route ${method} ${path}`, details: {} } }),
        { status: 404, headers: { "content-type": "application/json" } },
      );
    }
    const status = result.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(result.body ?? {}), {
      status,
      headers: { "content-type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, fetchMock };
};
