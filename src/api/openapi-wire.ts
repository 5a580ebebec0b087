import type { z } from 'zod';
import * as admin from './wire-schemas-admin.js';
import * as doors from './wire-schemas-doors.js';
import * as own from './wire-schemas.js';

/**
 * Every JSON body the API answers with, by the name the OpenAPI document gives it
 * (`#/components/schemas/<name>`). The document is generated from these zod schemas, and the
 * API tests' harness (test/helpers/openapi-check.ts) validates every answer with the one its
 * operation and status name, so the document and the wire agree.
 */
export const WIRE_SCHEMAS = {
  Error: own.ErrorBody,
  Submitted: own.Submitted,
  Status: own.Status,
  Pending: own.Pending,
  Completed: own.Completed,
  Failed: own.Failed,
  Delivery: own.Delivery,
  WebhookTestResult: own.WebhookTestResult,
  HistoryPage: own.HistoryPage,
  ModelList: own.ModelList,
  Healthz: own.Healthz,
  Readiness: own.Readiness,
  Account: admin.Account,
  AccountList: admin.AccountList,
  ApiKey: admin.ApiKey,
  CreatedKey: admin.CreatedKey,
  KeyList: admin.KeyList,
  CreditsChanged: admin.CreditsChanged,
  Ledger: admin.Ledger,
  RequestPage: admin.RequestPage,
  AllRequestsPage: admin.AllRequestsPage,
  RequestDetail: admin.RequestDetail,
  Deliveries: admin.Deliveries,
  WebhookSecret: admin.WebhookSecret,
  Overview: admin.Overview,
  OpenAiError: doors.OpenAiError,
  GoogleError: doors.GoogleError,
  Video: doors.Video,
  VideoList: doors.VideoList,
  VideoDeleted: doors.VideoDeleted,
  GeminiModel: doors.GeminiModel,
  GeminiModelList: doors.GeminiModelList,
  Operation: doors.Operation,
  Empty: doors.Empty,
} satisfies Record<string, z.ZodType>;

export type WireName = keyof typeof WIRE_SCHEMAS;
