import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api, ApiError, unwrap } from "../../api/client";
import { Field } from "../../components/Field";
import { useSession } from "./session";
import { formText, type Submit } from "../../lib/form";

/** Where to go after signing in: the page the person was sent away from, if it is ours. */
export function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signedIn = useSession((s) => s.signedIn);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Submit) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const session = await unwrap(
        api.POST("/api/v1/auth/login", {
          body: { email: formText(form, "email"), password: formText(form, "password") },
        }),
      );
      signedIn(session.user);
      void navigate(safeNext(params.get("next")), { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, undefined));
    } finally {
      setBusy(false);
    }
  }

  const expired = params.get("expired") === "1";
  return (
    <AuthFrame title="Sign in">
      {expired && !error && (
        <p role="status" className="rounded-md bg-surface-2 p-3 text-sm">
          Your session ended. Sign in again to go back where you were.
        </p>
      )}
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="E-mail" name="email" type="email" autoComplete="username" required error={error?.field("email")} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={error?.field("password")}
        />
        {error && error.fields.length === 0 && (
          <p role="alert" className="text-sm text-negative">
            {error.code === "rate_limited"
              ? `Too many attempts. Try again in ${error.retryAfterSeconds ?? 60} seconds.`
              : error.message}
          </p>
        )}
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="text-sm text-muted">
        New here? <Link to="/register">Create an account</Link>
      </p>
    </AuthFrame>
  );
}

export function AuthFrame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-surface-1 p-4">
      <div className="w-full max-w-sm space-y-6 rounded-xl bg-surface-0 p-8 shadow-card">
        <div className="space-y-1">
          <p className="text-sm font-semibold text-accent">FinanceTracker</p>
          <h1 className="text-2xl font-semibold">{title}</h1>
        </div>
        {children}
      </div>
    </main>
  );
}
