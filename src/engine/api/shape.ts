/** Declarative request shapes, after the Kinesis API model: member types and their constraints. */

export type Shape =
  | StringShape
  | NumberShape
  | BlobShape
  | BooleanShape
  | TimestampShape
  | ListShape
  | StructureShape;

interface Common {
  notNull?: boolean;
}
/** A string member: pattern, length and enum constraints. */
export interface StringShape extends Common {
  type: 'String';
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  enum?: readonly string[];
}
/** An Integer or Long member with optional bounds. */
export interface NumberShape extends Common {
  type: 'Integer' | 'Long';
  min?: number;
  max?: number;
}
/** A blob member (base64 on the wire) with length bounds. */
export interface BlobShape extends Common {
  type: 'Blob';
  minLength?: number;
  maxLength?: number;
}
/** A boolean member. */
export interface BooleanShape extends Common {
  type: 'Boolean';
}
/** A timestamp member (epoch seconds on the wire). */
export interface TimestampShape extends Common {
  type: 'Timestamp';
}
/** A list member with length bounds and a member shape. */
export interface ListShape extends Common {
  type: 'List';
  member: Shape;
  minLength?: number;
  maxLength?: number;
  /** How Coral prints one element of this list in a ValidationException. */
  memberString?: string;
}
/** A structure: its members and their shapes. */
export interface StructureShape extends Common {
  type: 'Structure';
  /** Members in the order Kinesis checks them (which is the order its errors are listed in). */
  members: Readonly<Record<string, Shape>>;
}
