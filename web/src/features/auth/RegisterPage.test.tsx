import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { refusal, stubApi } from "../../test/api";
import { RegisterPage } from "./RegisterPage";

function open() {
  render(<RouterProvider router={createMemoryRouter([{ path: "/register", element: <RegisterPage /> }], { initialEntries: ["/register"] })} />);
}

async function register(password = "correct horse battery") {
  await userEvent.type(screen.getByLabelText("Your name"), "Sam");
  await userEvent.type(screen.getByLabelText("E-mail"), "sam@example.org");
  await userEvent.type(screen.getByLabelText("Password"), password);
  await userEvent.click(screen.getByRole("button", { name: /create/i }));
}

/** The message an input is described by (its error, else its hint). */
function describedBy(input: HTMLElement): string | null | undefined {
  return document.getElementById(input.getAttribute("aria-describedby") ?? "")?.textContent;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("register", () => {
  it("says at the e-mail field that the address is taken, and how to go on", async () => {
    stubApi({ "POST /api/v1/auth/register": refusal(409, "conflict", "an account with this email address already exists") });
    open();
    await register();
    const email = screen.getByLabelText("E-mail");
    await screen.findByText("an account with this e-mail address exists: sign in instead");
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(email)).toBe("an account with this e-mail address exists: sign in instead");
    expect(screen.getByLabelText<HTMLInputElement>("Your name").value).toBe("Sam");
  });

  it("puts the password rule the API enforced in place of its hint", async () => {
    stubApi({
      "POST /api/v1/auth/register": refusal(422, "validation_failed", "password: must be at least 10 characters", {
        fields: [{ field: "password", message: "must be at least 10 characters" }],
      }),
    });
    open();
    const password = screen.getByLabelText("Password");
    expect(describedBy(password)).toBe("At least 10 characters.");
    await register("short");
    await screen.findByText("must be at least 10 characters");
    expect(describedBy(password)).toBe("must be at least 10 characters");
    expect(screen.getByLabelText("E-mail").getAttribute("aria-invalid")).toBeNull();
  });
});
