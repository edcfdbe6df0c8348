/**
 * A rule that ties several fields together, mirroring baton-sdk's `SchemaFieldRelationship` and the
 * `c1.config.v1.ConstraintKind` values it is exported as.
 */
export type RelationshipKind = 'required-together' | 'mutually-exclusive' | 'at-least-one' | 'dependent-on';

export interface FieldRelationship {
  readonly kind: RelationshipKind;
  /** The fields the rule is about. */
  readonly fields: readonly string[];
  /** For `dependent-on`: the fields that must be set whenever any of `fields` is set. */
  readonly dependsOn?: readonly string[];
}
