/** Scalar aliases of tsop/types; the schema engine maps each by name (see DESIGN §5). @module */

/** A 32-bit integer: schema `type: integer, format: int32`. */
export type Int32 = number;
/** A 64-bit integer: schema `type: integer, format: int64`. */
export type Int64 = number;
/** An integer with no format (Go's `int`). */
export type Int = number;
/** An integer or a string, like intstr.IntOrString: `x-kubernetes-int-or-string: true`. */
export type IntOrString = number | string;
/** A resource quantity such as `500m` or `1Gi` (resource.Quantity). */
export type Quantity = string | number;
/** An RFC 3339 timestamp (metav1.Time): `type: string, format: date-time`. */
export type DateTime = string;
/** A duration such as `1h30m` (metav1.Duration): `type: string`. */
export type Duration = string;
/** Base64-encoded bytes: `type: string, format: byte`. */
export type Bytes = string;
