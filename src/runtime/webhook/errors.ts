/**
 * What a validating webhook throws to deny a request: {@link FieldError} (one field, like Go's
 * `field.Invalid`), {@link ValidationError} (several), or {@link AdmissionDenied} (no field). The
 * server turns them into the Status apimachinery builds for `apierrors.NewInvalid`/`NewForbidden`,
 * so clients (kubectl) show `<Kind>.<group> "<name>" is invalid: <field>: Invalid value: ...`.
 * @module
 */

/** Reasons of a field error (apimachinery's `field.ErrorType` as they appear in a Status cause). */
export type FieldErrorReason =
  | "FieldValueInvalid" | "FieldValueRequired" | "FieldValueForbidden" | "FieldValueNotSupported"
  | "FieldValueDuplicate" | "FieldValueTooLong" | "FieldValueTooMany" | "FieldValueNotFound";

const PREFIX: Record<FieldErrorReason, string> = {
  FieldValueInvalid: "Invalid value", FieldValueRequired: "Required value", FieldValueForbidden: "Forbidden",
  FieldValueNotSupported: "Unsupported value", FieldValueDuplicate: "Duplicate value", FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many", FieldValueNotFound: "Not found",
};

/** Options of {@link FieldError}. */
export interface FieldErrorOptions {
  /** The offending value, shown in the message (`Invalid value: 10: ...`). Default: not shown. */
  value?: unknown;
  /** Default: `"FieldValueInvalid"`. */
  reason?: FieldErrorReason;
}

/** One invalid field: `throw new FieldError("spec.size", "must be at most 5", { value: 10 })`. */
export class FieldError extends Error {
  override readonly name = "FieldError";
  /** Path of the field, e.g. `spec.size` or `spec.containers[0].image`. */
  readonly field: string;
  /** The reason (Status cause `reason`). */
  readonly reason: FieldErrorReason;
  /** What is wrong, without the field path. */
  readonly detail: string;

  constructor(field: string, detail: string, opts: FieldErrorOptions = {}) {
    const reason = opts.reason ?? "FieldValueInvalid";
    const shown = "value" in opts && reason !== "FieldValueRequired" && reason !== "FieldValueForbidden"
      ? `${PREFIX[reason]}: ${JSON.stringify(opts.value)}: ${detail}`
      : `${PREFIX[reason]}: ${detail}`;
    super(`${field}: ${shown}`);
    this.field = field;
    this.reason = reason;
    this.detail = shown;
  }
}

/** Several field errors at once; the request is denied with all of them. */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  readonly errors: readonly FieldError[];
  constructor(errors: readonly FieldError[]) {
    super(errors.length === 1 ? (errors[0] as FieldError).message : `[${errors.map((e) => e.message).join(", ")}]`);
    this.errors = errors;
  }
}

/** Denies a request without naming a field. Default `code` 403 (Forbidden), like controller-runtime's `admission.Denied`. */
export class AdmissionDenied extends Error {
  override readonly name = "AdmissionDenied";
  readonly code: number;
  readonly reason: string;
  constructor(message: string, opts: { code?: number; reason?: string } = {}) {
    super(message);
    this.code = opts.code ?? 403;
    this.reason = opts.reason ?? "Forbidden";
  }
}
