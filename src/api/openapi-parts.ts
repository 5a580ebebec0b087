/** Pieces every part of the OpenAPI document uses. */

/** An error answer in Segmind's shape (`{"error","code"}`), described. */
export const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** Reelay's keys: `x-api-key` (Segmind's header) or `Authorization: Bearer`. */
export const secured = [{ apiKey: [] }, { bearer: [] }];
