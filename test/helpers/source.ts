/**
 * The Node flag a child process needs to run Reelay from TypeScript source (`node --import tsx`):
 * it makes `@reelay/sdk` resolve to packages/sdk/src through the SDK's `@reelay/source` export,
 * as vitest and the typecheck do, instead of to its build (packages/sdk/dist, absent until `npm run build`).
 */
export const SOURCE_CONDITION = '--conditions=@reelay/source';
