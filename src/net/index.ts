/**
 * The private-address guard for every outgoing fetch of a client-supplied URL (image URLs at
 * submit, webhook deliveries): http(s) only, redirects re-checked, and no loopback, private,
 * link-local or reserved address after DNS resolution unless the operator allow-lists it.
 */
export { DEFAULT_FETCH_POLICY, MAX_URL_LENGTH, type FetchPolicy } from './fetch-policy.js';
export { isForbiddenAddress, forbiddenAddressReason } from './address-policy.js';
export { allowListProblems, isAllowListedHost } from './allow-list.js';
export { createGuardedDispatcher, guardedLookup } from './guarded-dispatcher.js';
export { guardedFetch, type GuardedRequestInit, type GuardedResponse } from './guarded-fetch.js';
export { GuardedFetchError, type GuardFailure } from './guard-error.js';
export { webhookUrlProblem } from './webhook-url.js';
