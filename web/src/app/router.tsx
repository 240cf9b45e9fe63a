// The routes. Sign-in and registration are public; everything else sits in the layout,
// behind the session. The screens past the dashboard load as chunks of their own.

import { lazy, Suspense } from "react";
import { createBrowserRouter } from "react-router";
import { RegisterPage } from "../features/auth/RegisterPage";
import { SignInPage } from "../features/auth/SignInPage";
import { Layout } from "./Layout";
import { RequireSession } from "./RequireSession";

const DashboardPage = lazy(() => import("../features/dashboard/DashboardPage"));
const TransactionsPage = lazy(() => import("../features/transactions/TransactionsPage"));
const ImportPage = lazy(() => import("../features/imports/ImportPage"));
const AccountsPage = lazy(() =>
  import("../features/accounts/AccountsPage").then((m) => ({ default: m.AccountsPage })),
);

function Screen({ children }: { children: React.ReactNode }) {
  return <Suspense fallback={<div className="card h-40 animate-pulse" aria-busy="true" />}>{children}</Suspense>;
}

export const router = createBrowserRouter([
  { path: "/sign-in", element: <SignInPage /> },
  { path: "/register", element: <RegisterPage /> },
  {
    element: (
      <RequireSession>
        <Layout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Screen><DashboardPage /></Screen>, handle: { title: "Dashboard" } },
      { path: "transactions", element: <Screen><TransactionsPage /></Screen>, handle: { title: "Transactions" } },
      { path: "import", element: <Screen><ImportPage /></Screen>, handle: { title: "Import" } },
      { path: "accounts", element: <Screen><AccountsPage /></Screen>, handle: { title: "Accounts" } },
    ],
  },
]);
