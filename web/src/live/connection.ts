// The one WebSocket of the session: connects when someone is signed in, resumes each ledger
// from the last event id it saw, reconnects with backoff (at once when the browser comes back
// online), and says how it stands for the connection indicator.

import { create } from "zustand";
import { api } from "../api/client";
import type { ServerMessage } from "./effects";

export type LiveStatus = "connecting" | "live" | "reconnecting" | "offline";

interface LiveState {
  status: LiveStatus;
  /** Why the last connection ended, for the indicator's tooltip. */
  detail: string;
  set: (status: LiveStatus, detail?: string) => void;
}

export const useLive = create<LiveState>((set) => ({
  status: "connecting",
  detail: "",
  set: (status, detail = "") => set({ status, detail }),
}));

/** Pure: the wait before reconnect attempt `attempt` (0, 1, ...): 0.5 s doubling to 30 s,
 * with up to a fifth added at random so many tabs do not come back at once. */
export function backoff(attempt: number, random: number = Math.random()): number {
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(base * (1 + random / 5));
}

export interface LiveHandlers {
  onMessage: (message: ServerMessage) => void;
  /** The session ended (close code 4001). */
  onSessionEnded: () => void;
}

/** Opens and keeps the socket until `stop()`. */
export function connect(handlers: LiveHandlers): { stop: () => void } {
  const lastIds = new Map<string, string>();
  let socket: WebSocket | null = null;
  let attempt = 0;
  let stopped = false;
  // A function, so a check after an await reads what `stop()` set meanwhile.
  const isStopped = () => stopped;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const live = useLive.getState();

  function schedule(delay: number) {
    clearTimeout(timer);
    timer = setTimeout(() => void open(), delay);
  }

  async function open() {
    if (isStopped()) return;
    if (!navigator.onLine) {
      live.set("offline", "the browser is offline");
      return;
    }
    live.set(attempt === 0 ? "connecting" : "reconnecting");
    if (attempt > 0) {
      // A socket that failed may have met an expired access token: asking who we are
      // refreshes the session if it can (and signs out if it cannot).
      const me = await api.GET("/api/v1/me").catch(() => null);
      if (isStopped()) return;
      if (!me?.data) {
        schedule(backoff(attempt++));
        return;
      }
    }
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/api/v1/ws`);
    socket = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: "resume", ledgers: Object.fromEntries(lastIds) }));
    };
    ws.onmessage = (event: MessageEvent<string>) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      if (message.type === "welcome") {
        attempt = 0;
        live.set("live");
      }
      if ("id" in message && "ledger_id" in message) lastIds.set(message.ledger_id, message.id);
      handlers.onMessage(message);
    };
    ws.onclose = (event) => {
      if (socket !== ws || isStopped()) return;
      socket = null;
      if (event.code === 4001) {
        handlers.onSessionEnded();
        return;
      }
      live.set(navigator.onLine ? "reconnecting" : "offline", event.reason || `connection closed (${event.code})`);
      schedule(event.code === 1001 ? 0 : backoff(attempt++));
    };
  }

  const online = () => {
    attempt = 0;
    schedule(0);
  };
  const offline = () => live.set("offline", "the browser is offline");
  window.addEventListener("online", online);
  window.addEventListener("offline", offline);
  void open();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
      socket?.close(1000);
    },
  };
}
