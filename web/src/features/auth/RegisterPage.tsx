import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, ApiError, unwrap } from "../../api/client";
import { Field } from "../../components/Field";
import { useSession } from "./session";
import { AuthFrame } from "./SignInPage";
import { formText, type Submit } from "../../lib/form";

export function RegisterPage() {
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
        api.POST("/api/v1/auth/register", {
          body: {
            email: formText(form, "email"),
            password: formText(form, "password"),
            display_name: formText(form, "display_name"),
            currency: formText(form, "currency"),
          },
        }),
      );
      signedIn(session.user);
      void navigate("/", { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, undefined));
    } finally {
      setBusy(false);
    }
  }

  const taken = error?.code === "conflict";
  return (
    <AuthFrame title="Create your account">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="Your name" name="display_name" autoComplete="name" required error={error?.field("display_name")} />
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={taken ? "an account with this e-mail address exists: sign in instead" : error?.field("email")}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters."
          error={error?.field("password")}
        />
        <Field
          label="Currency of your ledger"
          name="currency"
          defaultValue="USD"
          maxLength={3}
          autoCapitalize="characters"
          required
          error={error?.field("currency")}
        />
        {error && !taken && error.fields.length === 0 && (
          <p role="alert" className="text-sm text-negative">
            {error.code === "rate_limited"
              ? `Too many sign-ups from here. Try again in ${error.retryAfterSeconds ?? 60} seconds.`
              : error.message}
          </p>
        )}
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? "Creating…" : "Create account"}
        </button>
      </form>
      <p className="text-sm text-muted">
        Have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </AuthFrame>
  );
}
