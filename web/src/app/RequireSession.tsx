import { useEffect } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { api, onSessionExpired } from "../api/client";
import { useSession } from "../features/auth/session";

/** Renders its children for a signed-in user. On first load it asks who is signed in (the
 * client refreshes an expired access token on its own); a session that cannot be refreshed,
 * now or later, goes to sign-in with the page to come back to. */
export function RequireSession({ children }: { children: React.ReactNode }) {
  const status = useSession((s) => s.status);
  const signedIn = useSession((s) => s.signedIn);
  const signedOut = useSession((s) => s.signedOut);
  const location = useLocation();
  const navigate = useNavigate();

  useEffect(() => {
    if (status !== "loading") return;
    api
      .GET("/api/v1/me")
      .then(({ data }) => (data ? signedIn(data) : signedOut()))
      .catch(() => signedOut());
  }, [status, signedIn, signedOut]);

  useEffect(
    () =>
      onSessionExpired(() => {
        signedOut();
        const next = encodeURIComponent(window.location.pathname + window.location.search);
        void navigate(`/sign-in?expired=1&next=${next}`, { replace: true });
      }),
    [navigate, signedOut],
  );

  if (status === "loading") {
    return <div className="min-h-screen bg-surface-1" aria-busy="true" />;
  }
  if (status === "signed-out") {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return children;
}
