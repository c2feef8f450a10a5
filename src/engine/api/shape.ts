/** Declarative request shapes, after the Kinesis API model: member types and their constraints. */

export type Shape =
  | StringShape
  | NumberShape
  | BlobShape
  | BooleanShape
  | TimestampShape
  | ListShape
  | MapShape
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
  /**
   * Length bounds of every string element, checked as one constraint over the whole list (Coral: "Member must
   * satisfy constraint: [...]" at the list's path), as for TagKeys.
   */
  memberLength?: { min: number; max: number };
}
/**
 * A string-to-string map (tags): bounds on its entries, and on its keys' and values' lengths, which Coral
 * checks as one constraint over all keys and one over all values.
 */
export interface MapShape extends Common {
  type: 'Map';
  minLength?: number;
  maxLength?: number;
  keyLength: { min: number; max: number };
  valueLength: { min: number; max: number };
}
/** A structure: its members and their shapes. */
export interface StructureShape extends Common {
  type: 'Structure';
  /** Members in the order Kinesis checks them (which is the order its errors are listed in). */
  members: Readonly<Record<string, Shape>>;
}
