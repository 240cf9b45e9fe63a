// The routes. Sign-in and registration are public; everything else sits in the layout,
// behind the session. The screens load as chunks of their own, through the router: it
// fetches a screen's chunk as the navigation starts (on the first load, alongside the
// session check) and shows the screen once it is there, with no fallback in between (a
// React Suspense fallback would hold the screen back by its reveal throttle, 300 ms).

import { createBrowserRouter } from "react-router";
import { RegisterPage } from "../features/auth/RegisterPage";
import { SignInPage } from "../features/auth/SignInPage";
import { Layout } from "./Layout";
import { RequireSession } from "./RequireSession";

export const router = createBrowserRouter([
  { path: "/sign-in", element: <SignInPage /> },
  { path: "/register", element: <RegisterPage /> },
  {
    element: (
      <RequireSession>
        <Layout />
      </RequireSession>
    ),
    hydrateFallbackElement: <div className="min-h-screen bg-surface-1" aria-busy="true" />,
    children: [
      {
        index: true,
        lazy: async () => ({ Component: (await import("../features/dashboard/DashboardPage")).default }),
        handle: { title: "Dashboard" },
      },
      {
        path: "transactions",
        lazy: async () => ({ Component: (await import("../features/transactions/TransactionsPage")).default }),
        handle: { title: "Transactions" },
      },
      {
        path: "import",
        lazy: async () => ({ Component: (await import("../features/imports/ImportPage")).default }),
        handle: { title: "Import" },
      },
      {
        path: "accounts",
        lazy: async () => ({ Component: (await import("../features/accounts/AccountsPage")).AccountsPage }),
        handle: { title: "Accounts" },
      },
    ],
  },
]);
