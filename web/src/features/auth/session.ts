// Who is signed in, and which ledger they are looking at: client state, in one small store.
// The session itself lives in httpOnly cookies the page never sees; nothing secret is kept
// in localStorage (only the id of the ledger last opened).

import { create } from "zustand";
import type { Schemas } from "../../api/client";

type User = Schemas["UserView"];

const LEDGER_KEY = "ft.ledger";

interface SessionState {
  status: "loading" | "signed-in" | "signed-out";
  user: User | null;
  /** The ledger the screens show. */
  ledgerId: string | null;
  signedIn: (user: User) => void;
  signedOut: () => void;
  chooseLedger: (id: string) => void;
}

export const useSession = create<SessionState>((set) => ({
  status: "loading",
  user: null,
  ledgerId: localStorage.getItem(LEDGER_KEY),
  signedIn: (user) => set({ status: "signed-in", user }),
  signedOut: () => set({ status: "signed-out", user: null }),
  chooseLedger: (id) => {
    localStorage.setItem(LEDGER_KEY, id);
    set({ ledgerId: id });
  },
}));
