// Exact counts from the API's `counts` field (counters and key counts kept by the chain and its
// records), so a view never counts what one page of a list returned.  null when this node's
// schema has no `counts` (the views then say what they count over).

import { query, Unavailable } from "../gql.js";

export async function loadCounts() {
  try {
    return (await query("{ counts { accounts organizations requests openRequests offers agreements openAgreements settled { outcome count } } }")).counts;
  } catch (err) {
    if (err instanceof Unavailable) return null;
    throw err;
  }
}
