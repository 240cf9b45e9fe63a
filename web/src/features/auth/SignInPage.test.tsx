import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json, refusal, stubApi, user } from "../../test/api";
import { useSession } from "./session";
import { safeNext, SignInPage } from "./SignInPage";

function open(url = "/sign-in") {
  const router = createMemoryRouter(
    [
      { path: "/sign-in", element: <SignInPage /> },
      { path: "*", element: <p>signed in at {"page"}</p> },
    ],
    { initialEntries: [url] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

async function signIn(email = "sam@example.org", password = "correct horse battery") {
  await userEvent.type(screen.getByLabelText("E-mail"), email);
  await userEvent.type(screen.getByLabelText("Password"), password);
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

beforeEach(() => useSession.setState({ status: "signed-out", user: null }));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("sign in", () => {
  it("says a wrong password is wrong and keeps what was typed", async () => {
    stubApi({ "POST /api/v1/auth/login": refusal(401, "unauthenticated", "wrong e-mail address or password") });
    open();
    await signIn();
    expect((await screen.findByRole("alert")).textContent).toBe("wrong e-mail address or password");
    expect(screen.getByLabelText<HTMLInputElement>("E-mail").value).toBe("sam@example.org");
    expect(useSession.getState().status).toBe("signed-out");
  });

  it("says how long to wait when rate limited", async () => {
    stubApi({
      "POST /api/v1/auth/login": refusal(429, "rate_limited", "too many attempts; try again in 42 seconds", { retry_after_seconds: 42 }),
    });
    open();
    await signIn();
    expect((await screen.findByRole("alert")).textContent).toBe("Too many attempts. Try again in 42 seconds.");
  });

  it("puts a field's problem next to the field", async () => {
    stubApi({
      "POST /api/v1/auth/login": refusal(422, "validation_failed", "email: is not an e-mail address", {
        fields: [{ field: "email", message: "is not an e-mail address" }],
      }),
    });
    open();
    await signIn("sam");
    const email = screen.getByLabelText("E-mail");
    await screen.findByText("is not an e-mail address");
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(email.getAttribute("aria-describedby") ?? "")?.textContent).toBe("is not an e-mail address");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says when the server cannot be reached", async () => {
    stubApi({ "POST /api/v1/auth/login": new TypeError("Failed to fetch") });
    open();
    await signIn();
    expect((await screen.findByRole("alert")).textContent).toBe("cannot reach the server: check the connection");
  });

  it("goes back to the page it was sent away from, once signed in", async () => {
    const sent = stubApi({ "POST /api/v1/auth/login": json(200, { csrf_token: "t", user }) });
    const router = open("/sign-in?expired=1&next=%2Ftransactions%3Fq%3Dlidl");
    expect(screen.getByRole("status").textContent).toContain("Your session ended");
    await signIn();
    await screen.findByText("signed in at page");
    expect(router.state.location.pathname + router.state.location.search).toBe("/transactions?q=lidl");
    expect(useSession.getState().user).toEqual(user);
    expect(sent[0]?.body).toEqual({ email: "sam@example.org", password: "correct horse battery" });
  });
});

describe("safeNext", () => {
  it("follows only paths of this site", () => {
    expect(safeNext("/transactions?q=1")).toBe("/transactions?q=1");
    expect(safeNext("//evil.example/x")).toBe("/");
    expect(safeNext("https://evil.example")).toBe("/");
    expect(safeNext(null)).toBe("/");
  });
});
