import { Ajv, type ValidateFunction } from 'ajv'
import {
  EVENT_SHAPES,
  type FieldKind,
  type PeerDecode,
  SIZE_KEYS,
  dispatchingDecoder,
  isDecimalFileId,
} from './eventFields'

const safeNatural = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }

/**
 * JSON Schema of one field. ajv's `number` and `integer` refuse `Infinity` (`JSON.parse('1e999')`),
 * as `Timestamp` does. A decimal `fileId` must also convert exactly, which no pattern says
 * briefly: that check is a named format.
 */
const jsonSchemaOf = (kind: FieldKind): object => {
  switch (kind) {
    case 'nonEmpty':
      return { type: 'string', minLength: 1 }
    case 'text':
      return { type: 'string' }
    case 'timestamp':
      return { type: 'number', minimum: 0 }
    case 'size':
      return safeNatural
    case 'percent':
      return { type: 'number', minimum: 0, maximum: 100 }
    case 'fileId':
      return { anyOf: [safeNatural, { type: 'string', format: 'file-id' }] }
    case 'status':
      return { enum: [0, 1, 2, 3] }
    case 'direction':
      return { enum: [0, 1] }
    case 'boolean':
      return { type: 'boolean' }
  }
}

/** The JSON Schema (draft-07) of every file event, by name. */
export const fileEventJsonSchemas: ReadonlyMap<string, object> = new Map(
  Object.entries(EVENT_SHAPES).map(([event, shape]) => {
    const properties: Record<string, object> = {
      method: { const: 'event' },
      event: { const: event },
    }
    for (const [key, kind] of Object.entries({ ...shape.required, ...shape.optional }))
      properties[key] = jsonSchemaOf(kind)
    if (shape.sized) for (const key of SIZE_KEYS) properties[key] = jsonSchemaOf('size')
    return [
      event,
      {
        type: 'object',
        required: ['method', 'event', ...Object.keys(shape.required)],
        properties,
        ...(shape.sized ? { anyOf: SIZE_KEYS.map((key) => ({ required: [key] })) } : {}),
      },
    ]
  }),
)

const ajv = new Ajv({ allErrors: false })
ajv.addFormat('file-id', { type: 'string', validate: isDecimalFileId })

const compiled = (schema: object): ValidateFunction => ajv.compile(schema)
const run =
  (validate: ValidateFunction) =>
  (value: unknown): unknown =>
    validate(value) ? value : undefined

/** `JSON.parse`, then ajv's compiled validators. */
export const decodeWithAjv: PeerDecode = dispatchingDecoder(
  new Map([...fileEventJsonSchemas].map(([event, schema]) => [event, run(compiled(schema))])),
  run(
    compiled({
      type: 'object',
      required: ['method', 'event'],
      properties: { method: { const: 'event' }, event: { type: 'string' } },
    }),
  ),
  run(
    compiled({
      type: 'object',
      required: ['method', 'result'],
      properties: { method: { type: 'string' }, result: { type: 'boolean' } },
    }),
  ),
)
