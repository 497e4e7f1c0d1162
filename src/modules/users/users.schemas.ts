import { Type } from '@fastify/type-provider-typebox';
import { ROLES } from '../../policy/roles.js';
import { OptionalText, ReadOnlyOnWrite, StringEnum, RecordMeta, VersionPrecondition } from '../../lib/schemas.js';

export const RoleSchema = StringEnum(ROLES);

// `password` is write-only: it is in no response schema, so it can never be serialised.
export const User = Type.Object(
  {
    ...RecordMeta,
    email: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    disabled: Type.Boolean(),
  },
  { title: 'User' },
);

const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Type.String({ minLength: 8, maxLength: 1024 });
const Name = Type.String({ maxLength: 200 });

export const CreateUserBody = Type.Object(
  {
    email: Email,
    password: Password,
    role: RoleSchema,
    name: OptionalText(Name),
    disabled: Type.Optional(Type.Boolean()),
    ...ReadOnlyOnWrite,
    ...VersionPrecondition,
  },
  { additionalProperties: false },
);

/** The same fields, each optional (Partial keeps no options: extra properties stay refused). */
export const UpdateUserBody = Type.Partial(CreateUserBody, { additionalProperties: false });
