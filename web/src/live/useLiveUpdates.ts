import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useNavigate } from "react-router";
import { useSession } from "../features/auth/session";
import { apply } from "./apply";
import { connect } from "./connection";
import { effectsOf } from "./effects";

/** Keeps the session's socket open while signed in, and its events in the caches. */
export function useLiveUpdates() {
  const queryClient = useQueryClient();
  const userId = useSession((s) => s.user?.id);
  const signedOut = useSession((s) => s.signedOut);
  const navigate = useNavigate();
  useEffect(() => {
    if (!userId) return;
    const connection = connect({
      onMessage: (message) =>
        apply(queryClient, effectsOf(message, userId), (ledgerId) => {
          if (useSession.getState().ledgerId === ledgerId) localStorage.removeItem("ft.ledger");
        }),
      onSessionEnded: () => {
        signedOut();
        void navigate("/sign-in?expired=1", { replace: true });
      },
    });
    return () => connection.stop();
  }, [queryClient, userId, signedOut, navigate]);
}
