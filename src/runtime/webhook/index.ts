/**
 * tsop/runtime/webhook: admission (mutating, validating) and conversion webhooks and the HTTPS
 * server that serves them (`Manager.webhookServer` is one).
 * @module
 */
export { WebhookServer, DEFAULT_WEBHOOK_CERT_DIR, CONVERSION_PATH, type Webhook, type WebhookServerOptions } from "./server.js";
export {
  defineWebhook, admissionPath, mutate, validate, allowed, errored,
  type AdmissionHooks, type AdmissionRequest, type AdmissionResponse, type AdmissionReview, type AdmissionStatus, type Warnings,
} from "./admission.js";
export { FieldError, ValidationError, AdmissionDenied, type FieldErrorOptions, type FieldErrorReason } from "./errors.js";
export { convertReview, type ConversionHooks, type Spoke, type ConversionRequest, type ConversionResponse, type ConversionReview } from "./conversion.js";
export { createJsonPatch, applyJsonPatch, type JsonPatchOp } from "./json-patch.js";
