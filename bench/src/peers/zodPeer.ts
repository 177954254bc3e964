import { z } from 'zod'
import {
  EVENT_SHAPES,
  type FieldKind,
  type PeerDecode,
  dispatchingDecoder,
  dispatchingValidator,
  hasSize,
  isDecimalFileId,
} from './eventFields'

const safeNatural = () => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

/** zod 4's `z.number()` already refuses `Infinity` (`JSON.parse('1e999')`), as `Timestamp` does. */
const zodField = (kind: FieldKind): z.ZodType => {
  switch (kind) {
    case 'nonEmpty':
      return z.string().min(1)
    case 'text':
      return z.string()
    case 'timestamp':
      return z.number().min(0)
    case 'size':
      return safeNatural()
    case 'percent':
      return z.number().min(0).max(100)
    case 'fileId':
      return z.union([safeNatural(), z.string().refine(isDecimalFileId)])
    case 'status':
      return z.literal([0, 1, 2, 3])
    case 'direction':
      return z.literal([0, 1])
    case 'boolean':
      return z.boolean()
  }
}

/**
 * The file events as zod 4 schemas. `looseObject` keeps unknown fields, as the codec does (a plain
 * `z.object` would strip them).
 */
export const zodEventSchemas: ReadonlyMap<string, z.ZodType> = new Map(
  Object.entries(EVENT_SHAPES).map(([event, shape]) => {
    const fields: Record<string, z.ZodType> = {
      method: z.literal('event'),
      event: z.literal(event),
    }
    for (const [key, kind] of Object.entries(shape.required)) fields[key] = zodField(kind)
    for (const [key, kind] of Object.entries(shape.optional))
      fields[key] = zodField(kind).optional()
    if (shape.sized) {
      fields.fileSize = zodField('size').optional()
      fields.size = zodField('size').optional()
    }
    const object = z.looseObject(fields)
    return [event, shape.sized ? object.refine(hasSize) : object]
  }),
)

const zodOtherEvent = z.looseObject({ method: z.literal('event'), event: z.string() })
const zodReply = z.looseObject({ method: z.string(), result: z.boolean() })

const run =
  (schema: z.ZodType) =>
  (value: unknown): unknown => {
    const result = schema.safeParse(value)
    return result.success ? result.data : undefined
  }

const validators = [
  new Map([...zodEventSchemas].map(([event, schema]) => [event, run(schema)])),
  run(zodOtherEvent),
  run(zodReply),
] as const

/** zod on a parsed message: the validated value, or `undefined`. */
export const validateWithZod: (value: unknown) => unknown = dispatchingValidator(...validators)

/** `JSON.parse`, then zod. */
export const decodeWithZod: PeerDecode = dispatchingDecoder(...validators)
