// The signed-in user and their preferences.

import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { useSession } from "./session";

export const authKeys = {
  me: ["me"] as const,
  preferences: ["me", "preferences"] as const,
};

export function usePreferences() {
  const signedIn = useSession((s) => s.status === "signed-in");
  return useQuery({
    queryKey: authKeys.preferences,
    queryFn: () => unwrap(api.GET("/api/v1/me/preferences")),
    enabled: signedIn,
    staleTime: 5 * 60_000,
  });
}

/** The locale money and dates are shown in: the user's preference, else the browser's. */
export function useLocale(): string {
  const preferences = usePreferences();
  return preferences.data?.locale ?? navigator.language;
}
