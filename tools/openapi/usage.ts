// A small typed use of the client generated from openapi/openapi.json: sign in, find whose
// goals to show, list them, and record a review. `tsc` type-checks it (scripts/test); it is not
// run. If an operation, a parameter or a field it uses changes shape, the check fails.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/camau";

type Goal = components["schemas"]["Goal"];

export async function homeScreen(email: string, password: string): Promise<Goal[]> {
  const api = createClient<paths>({ baseUrl: "http://127.0.0.1:8080" });

  const signIn = await api.POST("/v1/auth/login", { body: { email, password } });
  if (signIn.error) {
    // problem+json, with a stable code the app localises by.
    throw new Error(`${signIn.error.code}: ${signIn.error.title}`);
  }
  const { tokens, role, person_id } = signIn.data;
  const headers = { Authorization: `Bearer ${tokens.access_token}` };

  // A person's own login names its person; staff and supporters find theirs.
  let personId: string | null | undefined = person_id;
  if (!personId) {
    const circles = await api.GET("/v1/me/circles", { headers, params: { query: { limit: 20 } } });
    personId = circles.data?.items[0]?.person_id;
  }
  if (!personId) return [];

  const goals = await api.GET("/v1/people/{person_id}/goals", {
    headers,
    params: { path: { person_id: personId }, query: { limit: 50 } },
  });
  const items: Goal[] = goals.data?.items ?? [];

  if (role !== "supporter" && items.length > 0) {
    const review = await api.POST("/v1/people/{person_id}/reviews", {
      headers,
      params: {
        path: { person_id: personId },
        header: { "Idempotency-Key": crypto.randomUUID() },
      },
      body: {
        held_on: "2026-11-30",
        person_took_part: true,
        ratings: items.map((goal) => ({ goal_id: goal.id, value: 6 })),
      },
    });
    if (review.data) {
      const rated: string[] = review.data.ratings.map((r) => r.goal_id);
      void rated;
    }
  }
  return items;
}
