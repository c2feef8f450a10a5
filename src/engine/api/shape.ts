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
export interface StringShape extends Common {
  type: 'String';
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  enum?: readonly string[];
}
export interface NumberShape extends Common {
  type: 'Integer' | 'Long';
  min?: number;
  max?: number;
}
export interface BlobShape extends Common {
  type: 'Blob';
  minLength?: number;
  maxLength?: number;
}
export interface BooleanShape extends Common {
  type: 'Boolean';
}
export interface TimestampShape extends Common {
  type: 'Timestamp';
}
export interface ListShape extends Common {
  type: 'List';
  member: Shape;
  minLength?: number;
  maxLength?: number;
  /** How Coral prints one element of this list in a ValidationException. */
  memberString?: string;
}
export interface StructureShape extends Common {
  type: 'Structure';
  /** Members in the order Kinesis checks them (which is the order its errors are listed in). */
  members: Readonly<Record<string, Shape>>;
}
